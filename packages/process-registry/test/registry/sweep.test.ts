import test from 'ava';
import { readFileSync } from 'node:fs';
import { createLogger } from '@arbor/core';
import type { WorkerEntry } from '../../src/index.js';
import { cleanupOrphans } from '../../src/registry/orphanCleanup.js';
import { RegistryStore } from '../../src/store/RegistryStore.js';
import { removeTempDirs, tempStorePath } from '../support/helpers.js';

test.after.always(() => removeTempDirs());

const N = 10_000;

/** N stale entries of 100 dead runs (owner and worker pids above pid_max: certainly dead). */
async function seedStale(): Promise<RegistryStore> {
  const store = await RegistryStore.open(tempStorePath(), createLogger('silent'), false);
  const dead = Number(readFileSync('/proc/sys/kernel/pid_max', 'utf8').trim()) + 1;
  const writes: Promise<boolean>[] = [];
  for (let i = 0; i < N; i++) {
    const runId = `stale-run-${Math.floor(i / 100)}`;
    const entry: WorkerEntry = {
      workerId: `w${i}`, runId, status: 'active', owner: { pid: dead + Math.floor(i / 100), startTime: 1000, runId },
      actorId: null, osPid: dead + 1000 + i, startTime: 2000, pgid: dead + 1000 + i, fingerprint: 'sweep',
      reservedAt: 1, activatedAt: 2, terminatingSince: null,
    };
    writes.push(store.put(entry));
  }
  await Promise.all(writes);
  return store;
}

/** Counts event-loop turns (one per check phase) until stopped. */
function turnCounter(): { stop: () => number } {
  let turns = 0;
  let on = true;
  const tick = (): void => {
    turns++;
    if (on) setImmediate(tick);
  };
  setImmediate(tick);
  return {
    stop: () => {
      on = false;
      return turns;
    },
  };
}

test.serial('the start-up sweep of 10,000 stale entries yields to the event loop between every step when its slice is 0 ms', async (t) => {
  const store = await seedStale();
  const counter = turnCounter();
  const report = await cleanupOrphans(store, 'current-run', { graceMs: 100, sliceMs: 0 });
  const turns = counter.stop();
  t.is(report.scanned, N);
  t.is(report.removed, N);
  t.true(report.orphans.every((o) => o.outcome === 'not_running'));
  // Reading the records, checking each pid and each /proc entry, and removing: each step is
  // its own slice, so the loop turned at least once per record (a count-based slicer of 500
  // turns about twenty times).
  t.true(turns >= 2 * N, `${turns} event-loop turns during the sweep`);
  t.is(store.count(), 0);
  await store.close();
});

test.serial('with the default slice the sweep still yields many times; its longest slice is reported', async (t) => {
  const store = await seedStale();
  const counter = turnCounter();
  const report = await cleanupOrphans(store, 'current-run', { graceMs: 100 });
  const turns = counter.stop();
  t.is(report.removed, N);
  t.true(turns > 1, `${turns} turns`);
  t.true(report.longestSliceMs > 0);
  t.log(`${turns} event-loop turns; longest slice ${report.longestSliceMs.toFixed(1)} ms; cleanup ${report.durationMs.toFixed(0)} ms`);
  await store.close();
});
