import test from 'ava';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { createLogger, createSystem } from '@arbor/core';
import { ProcessRegistry, type OrphanCleanupReport, type WorkerEntry } from '../../src/index.js';
import { groupMembers, readProcessStat } from '../../src/proc/procfs.js';
import { RegistryStore } from '../../src/store/RegistryStore.js';
import { cleanUpFile, eventually, isRunning, Parent, tempStorePath, track, trackRun } from '../support/helpers.js';

// docs/process-registry.md, "When a process group is signalled": a group whose leader has
// exited is signalled only if every member carries the run's and the worker's markers.

test.after.always(cleanUpFile);

/** A pid that was just used and is free now (its process exited and was reaped). */
async function deadPid(): Promise<number> {
  const p = spawn('true');
  track(p.pid);
  await once(p, 'exit');
  return p.pid!;
}

async function seedOrphan(path: string, over: Pick<WorkerEntry, 'osPid' | 'startTime' | 'pgid'>): Promise<void> {
  const owner = { pid: await deadPid(), startTime: 1, runId: 'old-run' };
  const store = await RegistryStore.open(path, createLogger('silent'), false);
  await store.put({
    workerId: 'w0', runId: 'old-run', status: 'active', owner, actorId: null, fingerprint: null,
    reservedAt: Date.now(), activatedAt: Date.now(), terminatingSince: null, ...over,
  });
  await store.close();
}

async function cleanupOnce(path: string): Promise<OrphanCleanupReport> {
  const system = createSystem({ logger: createLogger('silent') });
  const registry = await ProcessRegistry.start(system, { path, shutdownGraceMs: 300 });
  const report = (await registry.startupCleanup())!;
  await system.shutdown();
  return report;
}

/** Reads `count` pids, one a line, from a child's stdout. */
async function readPids(child: ChildProcess, count: number): Promise<number[]> {
  const pids: number[] = [];
  for await (const line of createInterface({ input: child.stdout! })) {
    pids.push(track(Number(line.trim())));
    if (pids.length === count) break;
  }
  return pids;
}

async function killAndWait(pid: number): Promise<void> {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // gone already
  }
  await eventually(() => !isRunning(pid));
}

test('a stranger’s group at the recorded pgid of a gone owner’s worker (leader exited, member unmarked) is not signalled', async (t) => {
  const path = tempStorePath();
  // A detached shell leads a new group, leaves `sleep` in it and exits (reaped by us).
  const sh = spawn('sh', ['-c', 'sleep 1000 & echo $!; exit 0'], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
  const leader = track(sh.pid);
  const [sleeper] = await readPids(sh, 1);
  await once(sh, 'exit');
  t.true(await eventually(() => readProcessStat(leader) === undefined));
  t.deepEqual(groupMembers(leader), [sleeper]);
  // The recorded worker had that pid, as a group leader, with another start time.
  await seedOrphan(path, { osPid: leader, startTime: 12345, pgid: leader });
  const report = await cleanupOnce(path);
  t.deepEqual(report.orphans.map((o) => o.outcome), ['group_not_ours']);
  t.true(isRunning(sleeper!), 'the stranger’s sleep was not signalled');
  t.is(report.removed, 1);
  await killAndWait(sleeper!);
});

/** A stranger's group led by a zombie: `setsid sh` leads a new group, leaves `sleep` in it, exits, and is never reaped. */
async function zombieLedGroup(): Promise<{ holder: ChildProcess; zombie: number; sleeper: number }> {
  const holder = spawn('sh', ['-c', `setsid sh -c 'echo $$; sleep 1000 & echo $!; exit 0' & exec sleep 60`], { stdio: ['ignore', 'pipe', 'ignore'] });
  track(holder.pid);
  const [zombie, sleeper] = await readPids(holder, 2);
  await eventually(() => readProcessStat(zombie!)?.state === 'Z');
  return { holder, zombie: zombie!, sleeper: sleeper! };
}

test('a stranger’s zombie at a recorded pid (another start time) is pid_reused: its group is not signalled', async (t) => {
  const path = tempStorePath();
  const { holder, zombie, sleeper } = await zombieLedGroup();
  const z = readProcessStat(zombie)!;
  t.is(z.state, 'Z');
  t.is(z.pgid, zombie);
  await seedOrphan(path, { osPid: zombie, startTime: z.startTime - 5, pgid: zombie });
  const report = await cleanupOnce(path);
  t.deepEqual(report.orphans.map((o) => o.outcome), ['pid_reused']);
  t.true(isRunning(sleeper), 'the member of the stranger’s group was not signalled');
  t.is(holder.signalCode, null);
  await killAndWait(sleeper);
  holder.kill('SIGKILL');
  await once(holder, 'exit');
});

test('a zombie leader with the recorded start time whose group members lack the markers: group_not_ours, nothing signalled', async (t) => {
  const path = tempStorePath();
  const { holder, zombie, sleeper } = await zombieLedGroup();
  const z = readProcessStat(zombie)!;
  await seedOrphan(path, { osPid: zombie, startTime: z.startTime, pgid: zombie });
  const report = await cleanupOnce(path);
  t.deepEqual(report.orphans.map((o) => o.outcome), ['group_not_ours']);
  t.true(isRunning(sleeper));
  await killAndWait(sleeper);
  holder.kill('SIGKILL');
  await once(holder, 'exit');
});

test('a real worker group whose leader exited is still cleaned up: every member carries the run’s and the worker’s markers', async (t) => {
  const path = tempStorePath();
  const { parent, ready } = await Parent.start({ path, workers: 2 });
  t.true(await eventually(() => trackRun(ready.runId).length === 4));
  const all = trackRun(ready.runId);
  await parent.kill();
  // The leaders die; their children (the grandchildren, with the markers) stay in the groups.
  for (const pid of ready.pids) process.kill(pid, 'SIGKILL');
  t.true(await eventually(() => ready.pids.every((p) => readProcessStat(p) === undefined)));
  const leaves = all.filter((p) => !ready.pids.includes(p));
  t.true(leaves.every(isRunning));
  t.deepEqual(ready.pids.map((p) => groupMembers(p).length), [1, 1]);
  const report = await cleanupOnce(path);
  t.deepEqual(report.orphans.map((o) => o.outcome), ['terminated', 'terminated']);
  t.deepEqual(all.filter(isRunning), []);
});

// The fork loop: forks until a child gets `target` (or the time is up). That child makes
// itself a group leader, forks `sleep 1000` into its group, prints its pid, and exits.
const FORK_LOOP = `
use POSIX (); use Time::HiRes qw(time);
$| = 1;
my ($target, $ms) = @ARGV; my $end = time + $ms / 1000;
while (time < $end) {
  my $pid = fork();
  die "fork: $!" unless defined $pid;
  if ($pid == 0) {
    if ($$ == $target) {
      POSIX::setpgid(0, 0);
      my $c = fork();
      if ($c == 0) { exec 'sleep', '1000'; POSIX::_exit(1); }
      print "$c\\n";
    }
    POSIX::_exit(0);
  }
  waitpid($pid, 0);
  exit 0 if $pid == $target;
}
exit 3;
`;

test('real pid reuse: a stranger that got a dead worker’s pid and made a group of it loses no member to the next start', async (t) => {
  const path = tempStorePath();
  // The application is SIGKILLed; its worker exits on its own; the pid is free.
  const { parent, ready } = await Parent.start({ path, workers: 1, exitWithParent: true });
  const workerPid = ready.pids[0]!;
  await parent.kill();
  t.true(await eventually(() => readProcessStat(workerPid) === undefined, 30_000), 'the worker exited and was reaped');
  // Two loops (one per core) take the pids round twice as fast; the first to get the
  // worker's pid wins, and the other is stopped.
  const loops = [0, 1].map(() => spawn('perl', ['-e', FORK_LOOP, String(workerPid), '50000'], { stdio: ['ignore', 'pipe', 'ignore'] }));
  const spawned = await Promise.all(
    loops.map((loop) => new Promise<boolean>((resolve) => {
      loop.once('spawn', () => resolve(true));
      loop.once('error', () => resolve(false));
    })),
  );
  let stranger: number | undefined;
  if (spawned.every(Boolean)) {
    loops.forEach((loop) => track(loop.pid));
    for (const loop of loops) createInterface({ input: loop.stdout! }).on('line', (l) => (stranger = track(Number(l.trim()))));
    const exits = loops.map((loop) => once(loop, 'exit') as Promise<[number | null, string | null]>);
    await Promise.race(exits);
    await eventually(() => stranger !== undefined, 2000);
    for (const loop of loops) loop.kill('SIGKILL');
    await Promise.all(exits);
    if (stranger === undefined) t.log(`pid ${workerPid} did not come back to the fork loops within 50 s: other processes took it, or the machine forks slowly`);
  } else {
    t.log('perl is not installed: no fork loop, the pid-reuse construction was not built');
  }
  if (stranger !== undefined) t.deepEqual(groupMembers(workerPid), [stranger], 'the stranger’s child is alone in the group that has the worker’s pid as its id');
  const report = await cleanupOnce(path);
  t.is(report.orphans.length, 1);
  const outcome = report.orphans[0]!.outcome;
  if (stranger !== undefined) {
    t.is(outcome, 'group_not_ours');
    t.true(isRunning(stranger), 'the stranger’s child was not signalled');
    await killAndWait(stranger);
  } else {
    // Whatever holds the pid now is not ours: nothing may have been signalled.
    t.true(['not_running', 'pid_reused', 'group_not_ours'].includes(outcome), `outcome ${outcome}`);
  }
});
