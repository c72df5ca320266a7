import test from 'ava';
import { openSync, writeSync, closeSync } from 'node:fs';
import { open } from 'lmdb';
import { createLogger, createSystem } from '@arbor/core';
import { OWNER_PID_ENV, OWNER_START_TIME_ENV, ProcessRegistry, REGISTRY_PATH_ENV, spawnWorker } from '../../src/index.js';
import { readMarkers, readProcessStat } from '../../src/proc/procfs.js';
import { movedAside, openInChild, recordWorkers } from '../support/appProcess.js';
import { cleanUpFile, isRunning, tempStorePath } from '../support/helpers.js';

test.after.always(cleanUpFile);

/** Overwrites the value of the file's shared msgpackr structures record (through LMDB: the file itself stays sound). */
async function damageStructures(path: string): Promise<void> {
  const raw = open({ path, encoding: 'binary', keyEncoding: 'binary' });
  let found = 0;
  for (const { key, value } of raw.getRange()) {
    if (!(key as Buffer).toString('latin1').includes('structures')) continue;
    raw.putSync(key, Buffer.alloc((value as Buffer).length, 0xc1)); // 0xc1: never valid msgpack
    found++;
  }
  await raw.close();
  if (found !== 1) throw new Error(`expected one structures record, found ${found}`);
}

test('workers carry the owner markers: pid, start time (as recorded), and the registry file', async (t) => {
  const path = tempStorePath();
  const system = createSystem({ logger: createLogger('silent') });
  const registry = await ProcessRegistry.start(system, { path, shutdownGraceMs: 300 });
  const { pid, worker } = await spawnWorker(registry, { workerId: 'w1', command: 'sleep', args: ['60'] });
  t.like(readMarkers(pid), { runId: await registry.getRunId(), workerId: 'w1', ownerPid: process.pid, ownerStartTime: readProcessStat(process.pid)!.startTime, registryPath: path });
  t.is(worker.owner.startTime, readProcessStat(process.pid)!.startTime);
  t.like(await registry.markers('w2'), { [OWNER_PID_ENV]: String(process.pid), [OWNER_START_TIME_ENV]: String(worker.owner.startTime), [REGISTRY_PATH_ENV]: path });
  await system.shutdown();
  t.false(isRunning(pid));
});

test('shared structures record damaged: the probe cannot write the file, so it is moved aside, and every orphan is still found by its markers and stopped', async (t) => {
  const path = tempStorePath();
  const app = await recordWorkers(path, 3);
  await app.kill();
  await damageStructures(path);
  t.deepEqual(app.all.filter(isRunning), app.all, 'six orphans outlive their owner');
  const run = await openInChild(path);
  t.is(run.signal, null, run.stderr);
  t.is(run.code, 0, run.stderr);
  t.is(movedAside(path).length, 1);
  const startup = run.out!['startup'];
  t.deepEqual(startup.orphanRuns, [app.runId]);
  t.deepEqual(app.all.filter(isRunning), [], 'no orphan left running');
  // Each was signalled (a worker's child may be gone with its group's SIGTERM before its own turn).
  t.deepEqual(startup.markedProcesses.map((p: { pid: number }) => p.pid).sort(), [...app.all].sort());
  t.true(startup.markedProcesses.some((p: { outcome: string }) => p.outcome === 'terminated'));
});

/** Overwrites the values of the file's worker records with bytes that do not decode (through LMDB: the file itself stays sound). */
async function damageRecords(path: string): Promise<number> {
  const raw = open({ path, encoding: 'binary', keyEncoding: 'binary' });
  let n = 0;
  for (const { key, value } of raw.getRange()) {
    if ((key as Buffer).toString('latin1').includes('structures')) continue;
    raw.putSync(key, Buffer.alloc((value as Buffer).length, 0xc1));
    n++;
  }
  await raw.close();
  return n;
}

test('records that do not decode are judged by their run before they go: orphans of a gone owner are stopped, a live owner keeps its records and workers', async (t) => {
  const path = tempStorePath();
  const dead = await recordWorkers(path, 2);
  await dead.kill();
  const live = await recordWorkers(path, 1);
  t.is(await damageRecords(path), 3);
  const run = await openInChild(path);
  t.is(run.signal, null, run.stderr);
  t.is(run.code, 0, run.stderr);
  t.is(movedAside(path).length, 0, 'the file itself is sound: used as it is');
  const startup = run.out!['startup'];
  t.is(startup.scanned, 3);
  t.is(startup.undecodable, 3);
  t.deepEqual(startup.orphanRuns, [dead.runId]);
  t.deepEqual(dead.all.filter(isRunning), [], 'the dead owner’s orphans are stopped');
  t.deepEqual(live.all.filter(isRunning), live.all, 'the live owner’s workers are left alone');
  t.is(startup.undecodableKept, 1, 'the live owner’s record stays');
  t.is(startup.removed, 2);
  await live.kill();
  const next = await openInChild(path);
  t.is(next.code, 0, next.stderr);
  t.deepEqual(next.out!['startup'].orphanRuns, [live.runId]);
  t.deepEqual(live.all.filter(isRunning), []);
});

test('a file moved aside (bad header): its orphans are found by their markers and stopped, without the file', async (t) => {
  const path = tempStorePath();
  const app = await recordWorkers(path, 3);
  await app.kill();
  const fd = openSync(path, 'r+');
  writeSync(fd, Buffer.alloc(4096, 7), 0, 4096, 0);
  closeSync(fd);
  const run = await openInChild(path);
  t.is(run.signal, null, run.stderr);
  t.is(run.code, 0, run.stderr);
  t.is(movedAside(path).length, 1);
  const startup = run.out!['startup'];
  t.is(startup.scanned, 0, 'the fresh file has no records');
  t.deepEqual(startup.orphanRuns, [app.runId]);
  t.deepEqual(app.all.filter(isRunning), []);
});

test('a file moved aside while its owner lives: its workers are left alone; once the owner is gone the next start stops them', async (t) => {
  const path = tempStorePath();
  const app = await recordWorkers(path, 2);
  const fd = openSync(path, 'r+');
  writeSync(fd, Buffer.alloc(4096, 7), 0, 4096, 0);
  closeSync(fd);
  const first = await openInChild(path);
  t.is(first.code, 0, first.stderr);
  t.is(movedAside(path).length, 1);
  t.deepEqual(first.out!['startup'].orphanRuns, []);
  t.deepEqual(app.all.filter(isRunning), app.all, 'a live owner keeps its workers');
  await app.kill();
  const second = await openInChild(path);
  t.is(second.code, 0, second.stderr);
  t.deepEqual(second.out!['startup'].orphanRuns, [app.runId]);
  t.deepEqual(app.all.filter(isRunning), []);
});
