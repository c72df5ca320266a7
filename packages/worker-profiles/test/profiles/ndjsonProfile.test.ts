/**
 * The worked example of docs/worker-profiles.md ("Writing a profile"): ndjsonProfile, written
 * on the public entry only, driven at the WorkerConn level against a real python3 worker, and
 * checked to be the exact code the page shows.
 */
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setImmediate as tick } from 'node:timers/promises';
import { Agent, createSystem, InvalidOptionError, type ActorRef, type ActorSystem } from '@arbor/core';
import { ProcessRegistry, type ProcessRegistryHandle } from '@arbor/process-registry';
import { WorkerStartError, type WorkerConn, type WorkerExit } from '../../src/index.js';
import { eventually, harness } from '../support/connHarness.js';
import { ndjsonProfile } from './NdjsonProfile.js';

const script = fileURLToPath(new URL('../../../test/fixtures/ndjson_worker.py', import.meta.url));
/** The interpreter's real path (a pyenv shim would cost a shell per start). */
const python = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
const storeDir = mkdtempSync(join(tmpdir(), 'arbor-ndjson-'));
let system: ActorSystem;
let registry: ProcessRegistryHandle;
let actor: ActorRef;
let started = 0;
const pids: number[] = [];
const conns: WorkerConn[] = [];

test.before(async () => {
  system = createSystem();
  registry = await ProcessRegistry.start(system, { path: join(storeDir, 'registry.mdb'), shutdownGraceMs: 300 });
  actor = await Agent.start(system, () => 0);
});

test.after.always(async () => {
  await Promise.all(conns.map((c) => c.stop(1000)));
  const left = pids.filter(alive);
  await system.shutdown();
  rmSync(storeDir, { recursive: true, force: true });
  if (left.length > 0) throw new Error(`processes left: ${left.join(', ')}`);
});

/** Whether a pid still names a process (a zombie counts: it was not reaped). */
function alive(pid: number): boolean {
  try {
    readFileSync(`/proc/${pid}/stat`, 'utf8');
    return true;
  } catch {
    return false;
  }
}

const args = (...flags: string[]) => [script, ...flags];

async function start(flags: string[] = [], readyTimeoutMs = 20_000) {
  const conn = await ndjsonProfile({ command: python, args: args(...flags), registry }).start({ workerId: `nd-${++started}`, system, actor, readyTimeoutMs });
  conns.push(conn);
  pids.push(conn.pid!);
  return harness(conn);
}

/** The exit came exactly once, a late receiver gets it once too, the process and its registry entry are gone. */
async function exitedOnce(h: ReturnType<typeof harness>): Promise<WorkerExit> {
  const exit = await h.exited();
  for (let i = 0; i < 5; i++) await tick();
  if (h.exits.length !== 1) throw new Error(`onExit ran ${h.exits.length} times`);
  let late = 0;
  h.conn.onExit(() => late++);
  await tick();
  if (late !== 1) throw new Error(`a late onExit receiver ran ${late} times`);
  if (alive(h.conn.pid!)) throw new Error(`pid ${h.conn.pid} is still there after its exit`);
  if (!(await released(h.conn.workerId))) throw new Error(`${h.conn.workerId} is still registered`);
  return exit;
}

async function released(workerId: string): Promise<boolean> {
  const deadline = Date.now() + 20_000;
  while (await registry.isRegistered(workerId)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return true;
}

test.serial('start resolves at READY: pid, methods, meta; registered active; stop closes stdin and the worker exits normal', async (t) => {
  const h = await start();
  t.is(h.conn.kind, 'ndjson');
  t.is(typeof h.conn.pid, 'number');
  t.deepEqual(h.conn.methods, ['add', 'fail', 'sleep', 'print', 'exit']);
  t.like(h.conn.meta, { command: python, language: 'python' });
  t.like(await registry.getWorkerInfo(h.conn.workerId), { status: 'active', osPid: h.conn.pid });
  const stopping = h.conn.stop(20_000);
  t.is(h.conn.stop(20_000), stopping, 'stop is idempotent');
  t.like(await stopping, { reason: 'normal', workerId: h.conn.workerId, kind: 'ndjson', pid: h.conn.pid });
  t.like(await exitedOnce(h), { reason: 'normal' });
  t.like(await h.conn.stop(10), { reason: 'normal' }, 'stop after the exit resolves with it');
});

test.serial('requests answer res or err, one reply each; a batch sent in one microtask comes back as one batch; ping answers pong', async (t) => {
  const h = await start();
  t.like(await h.request('add', 41), { t: 'res', v: 42 });
  t.like(await h.request('fail', 'bad input'), { t: 'err', e: { name: 'ValueError', message: 'bad input' } });
  t.like(await h.request('nope', 1), { t: 'err', e: { code: 'unknown_method' } });
  const batch = await Promise.all([h.request('add', 1), h.request('add', 2), h.request('add', 3)]);
  t.deepEqual(batch.map((f) => (f.t === 'res' ? f.v : f.e)), [2, 3, 4]);
  h.conn.send({ t: 'ping', id: 9 });
  t.true(await eventually(() => h.frames.some((f) => f.t === 'pong' && f.id === 9)));
  t.is(h.frames.filter((f) => f.t === 'res' || f.t === 'err').length, 6, 'one reply per request');
  t.like(await h.conn.stop(20_000), { reason: 'normal' });
  await exitedOnce(h);
});

test.serial('frames that came with READY, before onFrame, are delivered to the receiver once it is set', async (t) => {
  const conn = await ndjsonProfile({ command: python, args: args('--ready-with-stats'), registry }).start({ workerId: `nd-${++started}`, system, actor, readyTimeoutMs: 20_000 });
  conns.push(conn);
  pids.push(conn.pid!);
  const h = harness(conn);
  t.true(await eventually(() => h.frames.length > 0));
  t.deepEqual(h.frames, [{ t: 'stats', rss: 1234 }]);
  t.like(await conn.stop(20_000), { reason: 'normal' });
  await exitedOnce(h);
});

test.serial('an external SIGKILL is killed by external; exiting with a code is exit; the request in flight gets no reply', async (t) => {
  const h = await start();
  h.send('sleep', 60);
  process.kill(h.conn.pid!, 'SIGKILL');
  t.like(await exitedOnce(h), { reason: 'killed', signal: 'SIGKILL', by: 'external' });
  t.false(h.frames.some((f) => f.t === 'res' || f.t === 'err'));
  const e = await start();
  e.send('exit', 3);
  t.like(await exitedOnce(e), { reason: 'exit', code: 3 });
});

test.serial('kill records by arbor and its cause, and is idempotent; a stop that gets no exit in its grace kills with stop_timeout', async (t) => {
  const h = await start();
  h.conn.kill('health_timeout');
  h.conn.kill('cancel_grace');
  t.like(await exitedOnce(h), { reason: 'killed', signal: 'SIGKILL', by: 'arbor', cause: 'health_timeout' });
  h.conn.kill('shutdown'); // after the exit: nothing
  const busy = await start();
  busy.send('sleep', 60); // it does not read stdin's EOF while it sleeps
  t.like(await busy.conn.stop(200), { reason: 'killed', by: 'arbor', cause: 'stop_timeout' });
  await exitedOnce(busy);
});

test.serial('a line on stdout that is not a frame ends the worker as a crash naming the line', async (t) => {
  const h = await start();
  h.send('print', 'hello from print()');
  const exit = await exitedOnce(h);
  t.like(exit, { reason: 'crash', error: { name: 'FramingError' } });
  t.regex(exit.reason === 'crash' ? exit.error!.message : '', /hello from print\(\).*log to stderr/);
});

test.serial('start rejects with WorkerStartError and leaves nothing running: no READY in time, an exit before READY', async (t) => {
  const slow = await t.throwsAsync(ndjsonProfile({ command: python, args: args('--no-ready'), registry }).start({ workerId: 'nd-slow', system, actor, readyTimeoutMs: 300 }), { instanceOf: WorkerStartError });
  t.like(slow?.exit, { reason: 'startup_failed', workerId: 'nd-slow', kind: 'ndjson', detail: 'no READY line within 300 ms' });
  pids.push(slow!.exit.pid!);
  t.false(alive(slow!.exit.pid!), 'the process is reaped when start rejects');
  t.true(await released('nd-slow'));
  const early = await t.throwsAsync(ndjsonProfile({ command: python, args: args('--exit-before-ready', '4'), registry }).start({ workerId: 'nd-early', system, actor, readyTimeoutMs: 20_000 }), { instanceOf: WorkerStartError });
  t.like(early?.exit, { reason: 'startup_failed', detail: 'it exited with code 4 before READY' });
  pids.push(early!.exit.pid!);
  t.true(await released('nd-early'));
});

test('bad options throw InvalidOptionError naming the field', (t) => {
  t.throws(() => ndjsonProfile({ command: '' }), { instanceOf: InvalidOptionError, message: /ndjsonProfile: options\.command must be a command to run/ });
  t.throws(() => ndjsonProfile({ command: 'x', arg: [] } as never), { instanceOf: InvalidOptionError, message: /option "arg".*did you mean args\?/ });
  t.throws(() => ndjsonProfile({ command: 'x', args: [1] } as never), { instanceOf: InvalidOptionError, message: /options\.args must be an array of strings/ });
  t.like(ndjsonProfile({ command: 'x' }), { kind: 'ndjson', capacity: 1, isProcess: true });
});

test('docs/worker-profiles.md shows exactly this NdjsonProfile.ts', (t) => {
  const source = readFileSync(new URL('../../../test/profiles/NdjsonProfile.ts', import.meta.url), 'utf8');
  const page = new URL('../../../../../docs/worker-profiles.md', import.meta.url);
  const doc = existsSync(page) ? readFileSync(page, 'utf8') : '';
  const marker = '<!-- code: packages/worker-profiles/test/profiles/NdjsonProfile.ts -->\n```ts\n';
  const at = doc.indexOf(marker);
  t.true(at >= 0, 'the page has the marked code block');
  const body = doc.slice(at + marker.length, doc.indexOf('```\n', at + marker.length));
  t.is(body.replaceAll("from '@arbor/worker-profiles';", "from '../../src/index.js';"), source);
  const imports = [...source.matchAll(/ from '([^']+)';/g)].map((m) => m[1]);
  t.deepEqual([...new Set(imports.filter((i) => !i!.startsWith('node:')))], ['@arbor/core', '../../src/index.js'], 'it imports only the public entries');
});
