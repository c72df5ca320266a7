import test from 'ava';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createLogger, createSystem, GenServer, InvalidOptionError } from '@arbor/core';
import { open } from 'lmdb';
import { ProcessRegistry, registryFileOptions, SpawnFailedError, spawnWorker, WorkerAlreadyRegisteredError } from '../../src/index.js';
import { readMarkers } from '../../src/proc/procfs.js';
import { cleanUpFile, eventually, isRunning, tempStorePath, track } from '../support/helpers.js';

test.after.always(cleanUpFile);

class Idle extends GenServer {}

function setup(options: { sweepIntervalMs?: number; reservationTimeoutMs?: number } = {}) {
  const path = tempStorePath();
  const system = createSystem({ logger: createLogger('silent') });
  return { path, system, start: () => ProcessRegistry.start(system, { path, shutdownGraceMs: 300, ...options }) };
}

const sleeper = (id: string) => ({ workerId: id, command: 'sleep', args: ['60'], fingerprint: 'sleep:60' });

test('reserveWorker and activateWorker resolve only once committed to the file', async (t) => {
  const { path, system, start } = setup();
  const registry = await start();
  const runId = await registry.getRunId();
  const reader = open({ path, ...registryFileOptions });
  t.is((await registry.reserveWorker('w1')).status, 'reserved');
  t.like(reader.get([runId, 'w1']), { status: 'reserved', osPid: null, owner: { pid: process.pid } });
  const child = spawn('sleep', ['60'], { detached: true, stdio: 'ignore' });
  track(child.pid);
  await once(child, 'spawn');
  const actor = await system.spawn(Idle, undefined);
  const r = await registry.activateWorker('w1', actor, child.pid!, 'fp');
  t.is(r.status, 'active');
  t.like(reader.get([runId, 'w1']), { status: 'active', osPid: child.pid, pgid: child.pid, actorId: actor.id, fingerprint: 'fp' });
  t.is(typeof reader.get([runId, 'w1'])?.startTime, 'number');
  await reader.close();
  await system.shutdown();
  t.false(isRunning(child.pid!), 'the orderly stop stopped the worker');
});

test('activateWorker outcomes are values: not_found, not_reserved, process_not_running', async (t) => {
  const { system, start } = setup();
  const registry = await start();
  t.deepEqual(await registry.activateWorker('nope', undefined, process.pid), { status: 'not_found' });
  await registry.reserveWorker('w');
  const gone = spawn('true');
  await once(gone, 'exit');
  t.deepEqual(await registry.activateWorker('w', undefined, gone.pid!), { status: 'process_not_running' });
  t.is((await registry.activateWorker('w', undefined, process.pid)).status, 'active');
  t.is((await registry.activateWorker('w', undefined, process.pid)).status, 'not_reserved');
  t.is((await registry.reserveWorker('w')).status, 'worker_id_taken');
  t.throws(() => registry.activateWorker('w', undefined, -4), { instanceOf: InvalidOptionError, message: /osPid must be a positive integer/ });
  t.throws(() => registry.reserveWorker(''), { instanceOf: InvalidOptionError, message: /workerId must be a non-empty string/ });
  // process.pid is this test process: alive, so unregister keeps the entry terminating, and
  // the orderly stop below must refuse to signal it (outcome 'self'), or this file would die.
  t.deepEqual(await registry.unregisterWorker('w'), { status: 'terminating' });
  await system.shutdown({ timeout: 10_000 });
});

test('unregisterWorker keeps a live process marked terminating until it exits', async (t) => {
  const { system, start } = setup({ sweepIntervalMs: 20 });
  const registry = await start();
  const { child, pid } = await spawnWorker(registry, sleeper('w1'));
  track(pid);
  t.deepEqual(await registry.unregisterWorker('w1'), { status: 'terminating' });
  t.is((await registry.getWorkerInfo('w1'))?.status, 'terminating');
  t.deepEqual(await registry.getAllProcessPids(), [pid]);
  t.deepEqual(await registry.getActiveProcessPids(), []);
  child.kill('SIGKILL');
  t.true(await eventually(() => child.signalCode !== null));
  let registered = true;
  for (let i = 0; i < 200 && registered; i++) {
    registered = await registry.isRegistered('w1');
    if (registered) await new Promise((r) => setTimeout(r, 20));
  }
  t.false(registered);
  t.deepEqual(await registry.unregisterWorker('w1'), { status: 'not_found' });
  await registry.reserveWorker('r');
  t.deepEqual(await registry.unregisterWorker('r'), { status: 'removed' });
  await system.shutdown();
});

test('queries: info, fingerprints, pids, stats, size, dead actors', async (t) => {
  const { system, start } = setup();
  const registry = await start();
  const actors = [await system.spawn(Idle, undefined), await system.spawn(Idle, undefined)];
  const a = await spawnWorker(registry, { ...sleeper('a'), actor: actors[0]! });
  const b = await spawnWorker(registry, { ...sleeper('b'), actor: actors[1]!, fingerprint: 'other' });
  track(a.pid);
  track(b.pid);
  await registry.reserveWorker('c');
  t.true(await registry.isRegistered('a'));
  t.is((await registry.getWorkerInfo('a'))?.actor, actors[0]);
  t.deepEqual((await registry.getWorkersByFingerprint('other')).map((w) => w.workerId), ['b']);
  t.deepEqual((await registry.getActiveProcessPids()).sort(), [a.pid, b.pid].sort());
  t.like(await registry.getStats(), { total: 3, reserved: 1, active: 2, terminating: 0, alive: 2, dead: 0, storedEntries: 3 });
  t.is(await registry.size(), 3);
  t.deepEqual(await registry.validateWorkers(), []);

  await system.stop(actors[0]!);
  t.deepEqual((await registry.validateWorkers()).map((w) => w.workerId), ['a']);
  t.deepEqual(await registry.cleanupDeadWorkers(), { removed: [], terminating: ['a'] });
  a.child.kill('SIGKILL');
  await once(a.child, 'exit');
  // The background sweep armed by the first cleanup may remove 'a' first: either way it goes, once.
  const second = await registry.cleanupDeadWorkers();
  t.deepEqual(second.terminating, []);
  t.true(second.removed.length === 0 || (second.removed.length === 1 && second.removed[0] === 'a'), `removed ${JSON.stringify(second.removed)}`);
  t.deepEqual((await registry.listAllWorkers()).map((w) => w.workerId).sort(), ['b', 'c']);
  await system.shutdown();
  t.false(isRunning(b.pid));
});

test('spawnWorker: a failed spawn or a duplicate id rejects with a typed error and leaves nothing behind', async (t) => {
  const { system, start } = setup();
  const registry = await start();
  await t.throwsAsync(spawnWorker(registry, { workerId: 'x', command: '/nonexistent/binary' }), { instanceOf: SpawnFailedError });
  t.false(await registry.isRegistered('x'));
  const w = await spawnWorker(registry, sleeper('w'));
  track(w.pid);
  await t.throwsAsync(spawnWorker(registry, sleeper('w')), { instanceOf: WorkerAlreadyRegisteredError, code: 'worker_id_taken' });
  t.deepEqual(await registry.getAllProcessPids(), [w.pid]);
  await system.shutdown();
});

test('a stale reservation of this run is resolved by its markers: the process is stopped and the entry goes', async (t) => {
  const { system, start } = setup({ sweepIntervalMs: 20, reservationTimeoutMs: 50 });
  const registry = await start();
  // The process exists (exec done, markers readable) before the reservation's clock starts,
  // so the sweep that finds the reservation stale is sure to find the process too.
  const child = spawn('sleep', ['60'], { detached: true, stdio: 'ignore', env: { ...process.env, ...(await registry.markers('lost')) } });
  track(child.pid);
  await once(child, 'spawn');
  t.true(await eventually(() => readMarkers(child.pid!)?.workerId === 'lost'));
  await registry.reserveWorker('lost');
  t.true(await eventually(() => child.signalCode !== null));
  t.is(child.signalCode, 'SIGTERM');
  let registered = true;
  for (let i = 0; i < 200 && registered; i++) {
    registered = await registry.isRegistered('lost');
    if (registered) await new Promise((r) => setTimeout(r, 20));
  }
  t.false(registered);
  await system.shutdown();
});

test('unregisterWorker on a stopped registry resolves registry_stopped instead of rejecting', async (t) => {
  const { system, start } = setup();
  const registry = await start();
  await registry.reserveWorker('r');
  await system.stop(registry.ref);
  t.deepEqual(await registry.unregisterWorker('r'), { status: 'registry_stopped' });
  t.throws(() => registry.unregisterWorker(''), { instanceOf: InvalidOptionError });
  await system.shutdown();
});
