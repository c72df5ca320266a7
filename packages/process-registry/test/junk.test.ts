import test from 'ava';
import { ArborError, createLogger, createSystem, type ActorRef } from '@arbor/core';
import { defaultRegistryPath, ProcessRegistry, ProcessRegistryHandle, spawnWorker, type ProcessRegistryProtocol } from '../src/index.js';
import { cleanUpFile, tempStorePath } from './support/helpers.js';

// Junk thrown at every public entry point of the package: each call throws or rejects an
// ArborError subclass (never a raw TypeError), and none hangs.

test.after.always(cleanUpFile);

const JUNK: readonly unknown[] = [undefined, null, 5, NaN, '', 'x', {}, [], () => 1, Symbol('s'), 10n];
/** Settles within this bound or counts as a hang. */
const HANG_MS = 10_000;

type Outcome = { kind: 'threw' | 'rejected'; error: unknown } | { kind: 'returned' | 'resolved'; value: unknown } | { kind: 'hung' };

async function probe(fn: () => unknown): Promise<Outcome> {
  let result: unknown;
  try {
    result = fn();
  } catch (error) {
    return { kind: 'threw', error };
  }
  if (!(result instanceof Promise)) return { kind: 'returned', value: result };
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<Outcome>((r) => (timer = setTimeout(() => r({ kind: 'hung' }), HANG_MS)));
  const settled = result.then(
    (value): Outcome => ({ kind: 'resolved', value }),
    (error): Outcome => ({ kind: 'rejected', error }),
  );
  const o = await Promise.race([settled, hung]);
  clearTimeout(timer);
  return o;
}

function label(v: unknown): string {
  if (typeof v === 'symbol' || typeof v === 'bigint') return String(v);
  if (typeof v === 'function') return 'a function';
  return JSON.stringify(v) ?? String(v);
}

test('every public function refuses junk with an ArborError: thrown or rejected, never a TypeError, never a hang', async (t) => {
  const system = createSystem({ logger: createLogger('silent') });
  const registry = await ProcessRegistry.start(system, { path: tempStorePath(), shutdownGraceMs: 300 });
  const good = { workerId: 'w', command: 'sleep', args: ['60'] };
  const cases: [string, () => unknown][] = [];
  // Values a parameter legitimately takes are left out of its probes: 'x' is a fine worker
  // id, 5 a fine pid or grace, undefined an omitted option, {} empty options.
  for (const j of JUNK) {
    const l = label(j);
    const id = j !== 'x';
    cases.push([`ProcessRegistry.start(${l})`, () => ProcessRegistry.start(j as never)]);
    if (j !== undefined && j !== null && !(typeof j === 'object' && !Array.isArray(j))) cases.push([`ProcessRegistry.start(system, ${l})`, () => ProcessRegistry.start(system, j as never)]);
    if (j !== undefined && id) cases.push([`ProcessRegistry.start(system, { path: ${l} })`, () => ProcessRegistry.start(system, { path: j as never, cleanupOnStart: false })]);
    if (j !== undefined && j !== 5) cases.push([`ProcessRegistry.start(system, { shutdownGraceMs: ${l} })`, () => ProcessRegistry.start(system, { path: tempStorePath(), shutdownGraceMs: j as never })]);
    cases.push([`ProcessRegistry.of(${l})`, () => ProcessRegistry.of(j as never)]);
    cases.push([`new ProcessRegistryHandle(${l})`, () => new ProcessRegistryHandle(j as ActorRef<ProcessRegistryProtocol>)]);
    if (id) cases.push([`defaultRegistryPath(${l})`, () => defaultRegistryPath(j as never)]);
    for (const m of ['reserveWorker', 'unregisterWorker', 'isRegistered', 'getWorkerInfo', 'markers'] as const) {
      if (id) cases.push([`registry.${m}(${l})`, () => (registry[m] as (id: unknown) => unknown)(j)]);
    }
    if (typeof j !== 'string') cases.push([`registry.getWorkersByFingerprint(${l})`, () => registry.getWorkersByFingerprint(j as never)]);
    if (id) cases.push([`registry.activateWorker(${l}, undefined, 1)`, () => registry.activateWorker(j as never, undefined, 1)]);
    if (j !== undefined) cases.push([`registry.activateWorker('w', ${l}, 1)`, () => registry.activateWorker('w', j as never, 1)]);
    if (j !== 5) cases.push([`registry.activateWorker('w', undefined, ${l})`, () => registry.activateWorker('w', undefined, j as never)]);
    if (j !== undefined && j !== null && typeof j !== 'string') cases.push([`registry.activateWorker('w', undefined, 1, ${l})`, () => registry.activateWorker('w', undefined, 1, j as never)]);
    cases.push([`spawnWorker(${l}, options)`, () => spawnWorker(j as never, good)]);
    cases.push([`spawnWorker(registry, ${l})`, () => spawnWorker(registry, j as never)]);
    if (id) cases.push([`spawnWorker(registry, { workerId: ${l} })`, () => spawnWorker(registry, { ...good, workerId: j as never })]);
    cases.push([`spawnWorker(registry, { command: ${l} })`, () => spawnWorker(registry, { ...good, command: j as never })]);
    if (j !== undefined) {
      if (!Array.isArray(j)) cases.push([`spawnWorker(registry, { args: ${l} })`, () => spawnWorker(registry, { ...good, args: j as never })]);
      if (id) cases.push([`spawnWorker(registry, { cwd: ${l} })`, () => spawnWorker(registry, { ...good, cwd: j as never })]);
      if (!(typeof j === 'object' && j !== null && !Array.isArray(j))) cases.push([`spawnWorker(registry, { env: ${l} })`, () => spawnWorker(registry, { ...good, env: j as never })]);
      if (!Array.isArray(j)) cases.push([`spawnWorker(registry, { stdio: ${l} })`, () => spawnWorker(registry, { ...good, stdio: j as never })]);
      cases.push([`spawnWorker(registry, { actor: ${l} })`, () => spawnWorker(registry, { ...good, actor: j as never })]);
      if (j !== null && typeof j !== 'string') cases.push([`spawnWorker(registry, { fingerprint: ${l} })`, () => spawnWorker(registry, { ...good, fingerprint: j as never })]);
    }
  }
  // Named in the issues.
  cases.push(["spawnWorker(registry, { args: '-c true' })", () => spawnWorker(registry, { ...good, command: 'sh', args: '-c true' as never })]);
  cases.push(["spawnWorker(registry, { env: 'x' })", () => spawnWorker(registry, { ...good, env: 'x' as never })]);
  cases.push(["spawnWorker(registry, { signal: 'SIGNOPE' })", () => spawnWorker(registry, { ...good, signal: 'SIGNOPE' } as never)]);
  cases.push(["spawnWorker(registry, { env: { A: 5 } })", () => spawnWorker(registry, { ...good, env: { A: 5 } as never })]);
  cases.push(["spawnWorker(registry, { args: ['a\\0b'] })", () => spawnWorker(registry, { ...good, args: ['a\0b'] })]);
  cases.push(["spawnWorker(registry, { stdio: ['pipe', 'nope'] })", () => spawnWorker(registry, { ...good, stdio: ['pipe', 'nope'] as never })]);
  cases.push(["registry.reserveWorker('w'.repeat(2000))", () => registry.reserveWorker('w'.repeat(2000))]);
  cases.push(["registry.activateWorker('j', 'not-a-ref', pid)", () => registry.activateWorker('j', 'not-a-ref' as never, process.pid)]);
  cases.push(["ProcessRegistry.start(system, { application: '..' })", () => ProcessRegistry.start(system, { application: '..' })]);

  const wrong: string[] = [];
  for (const [name, fn] of cases) {
    const o = await probe(fn);
    if ((o.kind === 'threw' || o.kind === 'rejected') && o.error instanceof ArborError) continue;
    wrong.push(`${name}: ${o.kind}${'error' in o ? ` ${String(o.error)}` : ''}`);
  }
  t.deepEqual(wrong, [], `${wrong.length} of ${cases.length} probes were not refused with an ArborError`);
  t.deepEqual(await registry.listAllWorkers(), [], 'no probe reserved or spawned anything');
  t.true(system.isAlive(registry.ref));
  await system.shutdown();
});
