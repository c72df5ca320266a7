import test from 'ava';
import { once } from 'node:events';
import { createLogger, createSystem } from '@arbor/core';
import { ProcessRegistry, type WorkerEntry } from '../../src/index.js';
import { readProcessStat } from '../../src/proc/procfs.js';
import { RegistryStore } from '../../src/store/RegistryStore.js';
import { cleanUpFile, eventually, isRunning, Parent, startStranger, tempStorePath, track, trackRun } from '../support/helpers.js';

test.after.always(cleanUpFile);

/** A pid that was just used and is free now (its process exited and was reaped). */
async function deadPid(): Promise<number> {
  const p = startStranger('true', []);
  await once(p, 'exit');
  return p.pid!;
}

function entry(over: Partial<WorkerEntry> & Pick<WorkerEntry, 'workerId' | 'runId' | 'owner'>): WorkerEntry {
  return {
    status: 'active',
    actorId: null,
    osPid: null,
    startTime: null,
    pgid: null,
    fingerprint: null,
    reservedAt: Date.now(),
    activatedAt: Date.now(),
    terminatingSince: null,
    ...over,
  };
}

async function seed(path: string, entries: WorkerEntry[]): Promise<void> {
  const store = await RegistryStore.open(path, createLogger('silent'), false);
  for (const e of entries) await store.put(e);
  await store.close();
}

test('PID reuse: an orphan entry naming a live stranger with another start time is never signalled', async (t) => {
  const path = tempStorePath();
  const stranger = startStranger('sleep', ['60']);
  await once(stranger, 'spawn');
  const pid = stranger.pid!;
  const real = readProcessStat(pid)!;
  await seed(path, [
    entry({
      workerId: 'w0',
      runId: 'old-run',
      owner: { pid: await deadPid(), startTime: 1, runId: 'old-run' },
      osPid: pid,
      startTime: real.startTime - 7,
      pgid: pid,
    }),
  ]);
  const system = createSystem();
  const registry = await ProcessRegistry.start(system, { path, shutdownGraceMs: 200 });
  const report = (await registry.startupCleanup())!;
  t.deepEqual(report.orphans.map((o) => o.outcome), ['pid_reused']);
  t.is(report.removed, 1);
  t.true(isRunning(pid));
  t.is(stranger.exitCode, null);
  t.is(stranger.signalCode, null);
  await system.shutdown();
  stranger.kill('SIGKILL');
  await once(stranger, 'exit');
});

test('an owner alive with another start time is gone: its recorded worker is stopped', async (t) => {
  const path = tempStorePath();
  const worker = startStranger('sleep', ['60']);
  await once(worker, 'spawn');
  const ws = readProcessStat(worker.pid!)!;
  const me = readProcessStat(process.pid)!;
  await seed(path, [
    entry({
      workerId: 'w0',
      runId: 'old-run',
      owner: { pid: process.pid, startTime: me.startTime - 3, runId: 'old-run' },
      osPid: worker.pid!,
      startTime: ws.startTime,
      pgid: ws.pgid,
    }),
  ]);
  const system = createSystem();
  const registry = await ProcessRegistry.start(system, { path, shutdownGraceMs: 200 });
  const report = (await registry.startupCleanup())!;
  t.deepEqual(report.orphans.map((o) => o.outcome), ['terminated']);
  t.true(await eventually(() => worker.signalCode !== null));
  t.is(worker.signalCode, 'SIGTERM');
  await system.shutdown();
});

test('a zombie counts as dead: it is not signalled and its entry goes', async (t) => {
  const path = tempStorePath();
  // sh forks a short sleep, prints its pid, and becomes `sleep 60`, which never reaps it.
  const holder = startStranger('sh', ['-c', 'sleep 0.05 & echo $!; exec sleep 60']);
  const [line] = (await once(holder.stdout!, 'data')) as [Buffer];
  const zombie = track(Number(line.toString().trim()));
  t.true(await eventually(() => readProcessStat(zombie)?.state === 'Z'));
  const z = readProcessStat(zombie)!;
  await seed(path, [
    entry({ workerId: 'z', runId: 'old-run', owner: { pid: await deadPid(), startTime: 1, runId: 'old-run' }, osPid: zombie, startTime: z.startTime, pgid: z.pgid }),
  ]);
  const system = createSystem();
  const registry = await ProcessRegistry.start(system, { path });
  const report = (await registry.startupCleanup())!;
  t.deepEqual(report.orphans.map((o) => o.outcome), ['zombie']);
  t.is(await registry.size(), 0);
  t.is(holder.signalCode, null, 'the zombie’s live parent was not touched');
  await system.shutdown();
  holder.kill('SIGKILL');
  await once(holder, 'exit');
});

test('two live applications on one LMDB path never touch each other’s workers; an orderly stop takes only its own', async (t) => {
  const path = tempStorePath();
  const a = await Parent.start({ path, workers: 2 });
  const b = await Parent.start({ path, workers: 2 });
  t.true(await eventually(() => trackRun(a.ready.runId).length === 4 && trackRun(b.ready.runId).length === 4));
  const aPids = trackRun(a.ready.runId);
  const bPids = trackRun(b.ready.runId);
  // B's start-up cleanup ran with A alive; A's manual cleanup runs with B alive; so does a third start here.
  t.deepEqual([b.ready.startup.orphanRuns, b.ready.startup.markedProcesses], [[], []]);
  const fromA = JSON.parse(await a.parent.command('cleanup')) as { orphans: unknown[]; markedProcesses: unknown[] };
  t.deepEqual([fromA.orphans, fromA.markedProcesses], [[], []]);
  const system = createSystem();
  const third = await ProcessRegistry.start(system, { path });
  const fromThird = (await third.startupCleanup())!;
  t.deepEqual(fromThird.orphanRuns, []);
  t.true([...aPids, ...bPids].every(isRunning));
  t.is(await third.size(), 4);

  t.is(await a.parent.command('stop'), '"stopped"');
  t.deepEqual(aPids.filter(isRunning), []);
  t.true(bPids.every(isRunning));
  t.deepEqual(
    (await third.debugEntries()).map((e) => e.runId),
    [b.ready.runId, b.ready.runId],
  );
  t.is(await b.parent.command('stop'), '"stopped"');
  t.deepEqual(bPids.filter(isRunning), []);
  t.is(await third.size(), 0);
  await system.shutdown();
});
