import test from 'ava';
import { existsSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createLogger, createSystem, InitError, InvalidOptionError } from '@arbor/core';
import { open } from 'lmdb';
import { defaultRegistryPath, ProcessRegistry, registryFileOptions, type WorkerEntry } from '../../src/index.js';
import { cleanUpFile, tempStorePath } from '../support/helpers.js';

test.after.always(cleanUpFile);

/** A system whose error reports are captured (the console transport is muted). */
function capturingSystem() {
  const logger = createLogger('error');
  for (const tr of logger.transports) tr.silent = true;
  const reports: Record<string, unknown>[] = [];
  logger.on('data', (info: Record<string, unknown>) => reports.push(info));
  return { system: createSystem({ logger }), reports };
}

async function expectRecovery(t: import('ava').ExecutionContext, path: string, damage: string): Promise<void> {
  const { system, reports } = capturingSystem();
  const registry = await ProcessRegistry.start(system, { path });
  t.is((await registry.reserveWorker('w1')).status, 'reserved');
  t.is(await registry.size(), 1);
  const moved = readdirSync(dirname(path)).filter((f) => f.startsWith('registry.mdb.corrupt-'));
  t.is(moved.length, 1);
  const report = reports.find((r) => r['report'] === 'process_registry_store_recovered');
  t.like(report, { level: 'error', path, movedTo: join(dirname(path), moved[0]!), damage });
  await system.shutdown();
  // The next start opens the fresh file as it is: no second recovery, no loop.
  const again = capturingSystem();
  const next = await ProcessRegistry.start(again.system, { path });
  t.is(await next.size(), 0);
  t.false(again.reports.some((r) => r['report'] === 'process_registry_store_recovered'));
  await again.system.shutdown();
}

test('a file that is not LMDB is moved aside and a fresh store started, with a logged report', async (t) => {
  const path = tempStorePath();
  writeFileSync(path, Buffer.alloc(16384, 7));
  await expectRecovery(t, path, 'bad_header');
});

test('an LMDB file whose meta pages are damaged (it crashes the binding) is caught by the probe process', async (t) => {
  const path = tempStorePath();
  const db = open({ path });
  for (let i = 0; i < 100; i++) db.putSync(['run', `w${i}`], { i });
  await db.close();
  const bytes = readFileSync(path);
  for (const page of [0, 4096]) bytes.fill(0xff, page + 32, page + 200);
  writeFileSync(path, bytes);
  rmSync(`${path}-lock`, { force: true });
  await expectRecovery(t, path, 'probe_failed');
});

test('a store that cannot be created fails the start with StoreUnavailableError inside InitError', async (t) => {
  const path = tempStorePath();
  writeFileSync(join(dirname(path), 'file'), 'x');
  const system = createSystem({ logger: createLogger('silent') });
  const e = await t.throwsAsync(ProcessRegistry.start(system, { path: join(dirname(path), 'file', 'registry.mdb') }), { instanceOf: InitError });
  t.is((e!.reason as { code?: string }).code, 'store_unavailable');
  await system.shutdown();
});

test('a path under /proc, /sys or /dev (or a symlink into one) is refused with InvalidOptionError at start (under /proc the start used to spin the loop forever)', async (t) => {
  const system = createSystem({ logger: createLogger('silent') });
  const link = join(dirname(tempStorePath()), 'to-proc');
  symlinkSync('/proc', link);
  for (const path of ['/proc/nope/registry.mdb', '/sys/nope/registry.mdb', '/dev/nope/registry.mdb', '/proc/self/registry.mdb', join(link, 'nope', 'registry.mdb')]) {
    const e = await t.throwsAsync(ProcessRegistry.start(system, { path }), { instanceOf: InitError }, path);
    t.true(e!.reason instanceof InvalidOptionError, path);
    t.regex((e!.reason as Error).message, /options\.path must be a file path outside \/proc, \/sys and \/dev/);
  }
  await system.shutdown();
});

test('options are validated with messages naming the field', async (t) => {
  const system = createSystem({ logger: createLogger('silent') });
  const bad = [{ shutdownGraceMs: -1 }, { application: 'a/b' }, { path: '' }, { cleanupOnStart: 'yes' }];
  for (const options of bad) {
    const e = await t.throwsAsync(ProcessRegistry.start(system, options as never), { instanceOf: InitError });
    t.true(e!.reason instanceof InvalidOptionError, JSON.stringify(options));
    t.regex((e!.reason as Error).message, /ProcessRegistry options\.\w+ must be/);
  }
  await system.shutdown();
});

test('the delay options follow core\'s timeout rule: above 0, at most the longest Node timer', async (t) => {
  const system = createSystem({ logger: createLogger('silent') });
  for (const options of [{ shutdownGraceMs: 0 }, { reservationTimeoutMs: 2 ** 31 }, { sweepIntervalMs: Infinity }, { sweepIntervalMs: '10' }]) {
    const e = await t.throwsAsync(ProcessRegistry.start(system, options as never), { instanceOf: InitError }, JSON.stringify(options));
    t.true(e!.reason instanceof InvalidOptionError, JSON.stringify(options));
    t.regex((e!.reason as Error).message, /^ProcessRegistry options\.\w+ must be a number of milliseconds greater than 0 and at most 2147483647, got: /);
  }
  await system.shutdown();
});

test('the default path is per application, under the data dir', (t) => {
  const path = defaultRegistryPath('billing');
  t.regex(path, /arbor[/\\]billing[/\\]process-registry\.mdb$/);
  t.false(existsSync(path));
});

test('records written without shared structures (the earlier encoding) are read, cleaned up, and survive new writes', async (t) => {
  const path = tempStorePath();
  const old = open({ path, compression: false });
  const gone = { pid: 999_999_999, startTime: 1, runId: 'old-run' };
  const e: WorkerEntry = { workerId: 'w1', runId: 'old-run', status: 'active', owner: gone, actorId: null, osPid: 999_999_999, startTime: 1, pgid: null, fingerprint: null, reservedAt: 1, activatedAt: 1, terminatingSince: null };
  await old.put(['old-run', 'w1'], e);
  await old.close();
  const system = createSystem({ logger: createLogger('silent') });
  const registry = await ProcessRegistry.start(system, { path, cleanupOnStart: false });
  t.like((await registry.debugEntries())[0], { workerId: 'w1', runId: 'old-run', currentRun: false, owner: gone });
  t.is((await registry.reserveWorker('w2')).status, 'reserved');
  const report = await registry.manualOrphanCleanup();
  t.deepEqual(report.orphanRuns, ['old-run']);
  t.is(report.removed, 1);
  t.is(await registry.size(), 1);
  const reader = open({ path, ...registryFileOptions, readOnly: true });
  t.like(reader.get([await registry.getRunId(), 'w2']), { workerId: 'w2', status: 'reserved' });
  await reader.close();
  await system.shutdown();
});
