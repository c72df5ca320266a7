import test from 'ava';
import { call, cast, childSpec, createLogger, createSystem, GenServer, InvalidOptionError, Supervisor, type ActorRef, type ActorSystem } from '@arbor/core';
import { ProcessRegistry, spawnWorker, type ProcessRegistryHandle, type ProcessRegistryProtocol } from '../../src/index.js';
import { cleanUpFile, eventually, isRunning, tempStorePath, track } from '../support/helpers.js';

// A crash of the registry actor is not an orderly stop: the workers keep running, the file
// keeps the run, and the registry its supervisor restarts resumes the same run.

test.after.always(cleanUpFile);

class Idle extends GenServer {}

const sleeper = (id: string, actor?: ActorRef) => ({ workerId: id, command: 'sleep', args: ['60'], fingerprint: 'sleep:60', ...(actor ? { actor } : {}) });

async function supervised(): Promise<{ system: ActorSystem; sup: ActorRef; first: ProcessRegistryHandle }> {
  const path = tempStorePath();
  const system = createSystem({ logger: createLogger('silent') });
  const sup = await Supervisor.start(system, {
    strategy: 'one_for_one',
    intensity: 3,
    period: 5000,
    children: [childSpec(ProcessRegistry, { path, shutdownGraceMs: 300 }, { id: 'process-registry' })],
  });
  const ref = (await Supervisor.whichChildren(sup))[0]!.ref as ActorRef<ProcessRegistryProtocol>;
  return { system, sup, first: ProcessRegistry.of(ref) };
}

/** The registry the supervisor started after `old` died. */
async function restarted(sup: ActorRef, old: ActorRef): Promise<ProcessRegistryHandle> {
  let next: ActorRef | undefined;
  for (let i = 0; i < 500 && next === undefined; i++) {
    const child = (await Supervisor.whichChildren(sup))[0]?.ref;
    if (child !== undefined && child !== old && typeof child === 'object') next = child as ActorRef;
    else await new Promise((r) => setTimeout(r, 20));
  }
  if (next === undefined) throw new Error('the supervisor did not restart the registry');
  return ProcessRegistry.of(next as ActorRef<ProcessRegistryProtocol>);
}

test('bad arguments are typed errors at the call; the same requests sent raw are refused by the actor, which does not crash', async (t) => {
  const system = createSystem({ logger: createLogger('silent') });
  const registry = await ProcessRegistry.start(system, { path: tempStorePath(), shutdownGraceMs: 300 });
  const workers: number[] = [];
  for (const id of ['a', 'b', 'c']) workers.push(track((await spawnWorker(registry, sleeper(id))).pid));
  t.throws(() => registry.reserveWorker('w'.repeat(2000)), { instanceOf: InvalidOptionError, message: /workerId must be a non-empty string without NUL characters, of at most 1024 UTF-8 bytes, got: "w{40}… \(2000 characters, 2000 bytes\)"/ });
  t.throws(() => registry.activateWorker('j', 'not-a-ref' as unknown as ActorRef, workers[0]!), { instanceOf: InvalidOptionError, message: /activateWorker: actor must be an ActorRef returned by spawn, or undefined, got: "not-a-ref"/ });
  // Sent past the handle: answered with a value, the registry keeps running.
  const rawReserve = await call(registry.ref, { type: 'reserve_worker', workerId: 'w'.repeat(2000) });
  t.is(rawReserve.status, 'invalid_argument');
  await registry.reserveWorker('j');
  const rawActivate = await call(registry.ref, { type: 'activate_worker', workerId: 'j', actor: 'not-a-ref' as unknown as ActorRef, osPid: workers[0]!, fingerprint: null });
  t.like(rawActivate, { status: 'invalid_argument' });
  t.true(rawActivate.status === 'invalid_argument' && rawActivate.error instanceof InvalidOptionError);
  t.deepEqual(await registry.validateWorkers(), []);
  t.true(system.isAlive(registry.ref));
  t.is((await registry.getWorkerInfo('j'))?.status, 'reserved');
  t.true(workers.every(isRunning));
  await system.shutdown();
  t.deepEqual(workers.filter(isRunning), []);
});

for (const how of ['a crash (a failed store write)', 'a kill'] as const) {
  test(`under a supervisor, ${how} of the registry leaves the workers running and the file intact; the restarted registry resumes the run`, async (t) => {
    const { system, sup, first } = await supervised();
    const runId = await first.getRunId();
    const actors = [await system.spawn(Idle, undefined), await system.spawn(Idle, undefined)];
    const a = await spawnWorker(first, sleeper('a', actors[0]));
    const b = await spawnWorker(first, sleeper('b', actors[1]));
    const pids = [track(a.pid), track(b.pid)];
    await first.reserveWorker('pending');
    if (how === 'a kill') system.exit(first.ref, 'kill');
    else cast(first.ref, { type: 'store_failed', error: new Error('MDB_BAD_TXN (simulated)') });
    t.true(await eventually(() => !system.isAlive(first.ref)));
    const second = await restarted(sup, first.ref);
    t.is(await second.getRunId(), runId, 'the same run');
    t.true(pids.every(isRunning), 'the workers were not signalled');
    t.deepEqual((await second.listAllWorkers()).map((w) => [w.workerId, w.status, w.osPid]).sort(), [['a', 'active', a.pid], ['b', 'active', b.pid], ['pending', 'reserved', null]]);
    t.is((await second.getWorkerInfo('a'))?.actor, actors[0], 'the managing actor is found again');
    t.is(await second.size(), 3);
    const report = (await second.startupCleanup())!;
    t.deepEqual([report.orphanRuns, report.orphans], [[], []]);
    t.true(pids.every(isRunning));
    // Only the orderly stop of the application stops the run.
    await system.shutdown();
    t.deepEqual(pids.filter(isRunning), []);
  });
}

test('a registry in another live application on the same file leaves a crashed run alone while its owner lives', async (t) => {
  const { system, sup, first } = await supervised();
  const w = await spawnWorker(first, sleeper('w'));
  track(w.pid);
  system.exit(first.ref, 'kill');
  const second = await restarted(sup, first.ref);
  // A registry of a new run (as another application would start) on the same file, here:
  // the crashed run is resumed by `second`, so it is no orphan, and the file is shared.
  const other = createSystem({ logger: createLogger('silent') });
  const path = (await second.getStats()).path;
  const third = await ProcessRegistry.start(other, { path, shutdownGraceMs: 300 });
  t.not(await third.getRunId(), await second.getRunId());
  t.deepEqual((await third.startupCleanup())!.orphanRuns, []);
  t.true(isRunning(w.pid));
  await other.shutdown();
  t.true(isRunning(w.pid));
  await system.shutdown();
  t.false(isRunning(w.pid));
});
