import test from 'ava';
import { createSystem } from '@arbor/core';
import { ProcessRegistry } from '../../src/index.js';
import { cleanUpFile, eventually, isRunning, Parent, tempStorePath, trackRun } from '../support/helpers.js';

test.after.always(cleanUpFile);

async function startRegistry(path: string) {
  const system = createSystem();
  const registry = await ProcessRegistry.start(system, { path, shutdownGraceMs: 300 });
  return { system, registry };
}

test('a SIGKILLed parent: the next start kills every worker and grandchild, and the file keeps only the current run', async (t) => {
  const path = tempStorePath();
  const { parent, ready } = await Parent.start({ path, workers: 3 });
  // 3 workers, each with a grandchild in its process group, all carrying the run's markers.
  t.true(await eventually(() => trackRun(ready.runId).length === 6));
  const all = trackRun(ready.runId);
  await parent.kill();
  t.true(all.every(isRunning), 'the orphans outlive their parent');

  const { system, registry } = await startRegistry(path);
  const report = (await registry.startupCleanup())!;
  t.deepEqual(report.orphanRuns, [ready.runId]);
  t.deepEqual(report.orphans.map((o) => o.osPid).sort(), [...ready.pids].sort());
  t.true(report.orphans.every((o) => o.outcome === 'terminated'));
  t.deepEqual(all.filter(isRunning), []);
  await registry.reserveWorker('mine');
  const entries = await registry.debugEntries();
  t.deepEqual(entries.map((e) => e.runId), [await registry.getRunId()]);
  t.is(await registry.size(), 1);
  await system.shutdown();
});

test('reserve, then crash before spawning: the next start removes the reservation', async (t) => {
  const path = tempStorePath();
  const { parent, ready } = await Parent.start({ path, workers: 0, mode: 'reserve_then_crash' });
  await parent.exited();
  const { system, registry } = await startRegistry(path);
  const report = (await registry.startupCleanup())!;
  t.deepEqual(report.orphans, [{ runId: ready.runId, workerId: 'w0', status: 'reserved', osPid: null, outcome: 'no_process' }]);
  t.deepEqual(report.markedProcesses, []);
  t.is(await registry.size(), 0);
  await system.shutdown();
});

test('spawn, then crash before activating: the markers lead the next start to the worker and its child', async (t) => {
  const path = tempStorePath();
  const { parent, ready } = await Parent.start({ path, workers: 0, mode: 'spawn_then_crash' });
  await parent.exited();
  t.true(await eventually(() => trackRun(ready.runId).length === 2));
  const all = trackRun(ready.runId);
  t.true(all.every(isRunning));
  const { system, registry } = await startRegistry(path);
  const report = (await registry.startupCleanup())!;
  t.is(report.orphans.length, 1);
  t.is(report.orphans[0]!.outcome, 'no_process');
  t.true(report.markedProcesses.some((p) => p.pid === ready.pids[0] && p.workerId === 'w0'));
  t.deepEqual(all.filter(isRunning), []);
  t.is(await registry.size(), 0);
  await system.shutdown();
});

test('workers that ignore SIGTERM are SIGKILLed after the grace period', async (t) => {
  const path = tempStorePath();
  const { parent, ready } = await Parent.start({ path, workers: 2, ignoreTerm: true });
  t.true(await eventually(() => trackRun(ready.runId).length === 4));
  const all = trackRun(ready.runId);
  await parent.kill();
  const { system, registry } = await startRegistry(path);
  const report = (await registry.startupCleanup())!;
  t.deepEqual(
    report.orphans.map((o) => o.outcome),
    ['killed', 'killed'],
  );
  t.deepEqual(all.filter(isRunning), []);
  await system.shutdown();
});
