/**
 * `actor_bytes`: heap bytes per idle actor, K actors alive.
 *
 * For each contender: full GC, read heapUsed, start K idle actors (kept in an array
 * allocated before the first reading, so its slots are not counted), full GC, read
 * heapUsed again; the delta over K is the figure. Lower is better. Needs --expose-gc.
 *
 * Arbor's figure includes everything a spawn leaves behind: the cell, the behaviour
 * instance, its id string and its entry in the system's actor table.
 */
import type { ActorRef } from '@arbor/core';
import { createActor, type Actor } from 'xstate';
import { makeRecord, type WorkloadRecord } from '../record.js';
import type { Sizes } from '../sizes.js';
import { benchSystem, Counter, idleLogic } from '../subjects.js';
import { collectGarbage, heapUsed, requireGc } from '../util.js';

async function arborBytes(k: number): Promise<number> {
  const system = benchSystem();
  try {
    await system.spawn(Counter, 0); // first spawn: class checks and lazy setup, not counted
    const refs: ActorRef[] = new Array(k).fill(undefined);
    collectGarbage();
    const h0 = heapUsed();
    for (let i = 0; i < k; i++) refs[i] = await system.spawn(Counter, 0);
    collectGarbage();
    const bytes = (heapUsed() - h0) / k;
    if (system.size !== k + 1) throw new Error(`arbor: ${system.size} actors alive, expected ${k + 1}`);
    return Math.round(bytes);
  } finally {
    await system.shutdown();
  }
}

function xstateBytes(k: number): number {
  createActor(idleLogic).start().stop(); // first start, not counted
  const actors: Actor<typeof idleLogic>[] = new Array(k).fill(undefined);
  collectGarbage();
  const h0 = heapUsed();
  for (let i = 0; i < k; i++) actors[i] = createActor(idleLogic).start();
  collectGarbage();
  const bytes = (heapUsed() - h0) / k;
  for (const a of actors) a.stop();
  return Math.round(bytes);
}

export async function actorBytesWorkload(sizes: Sizes): Promise<WorkloadRecord> {
  requireGc();
  const k = sizes.bytesN;
  const arbor = await arborBytes(k);
  collectGarbage();
  const xstate = xstateBytes(k);
  collectGarbage();
  return makeRecord({
    arbor,
    limit: null,
    peers: { xstate },
    unit: 'bytes/actor',
    better: 'lower',
    targets: [{ against: 'absolute', op: '<=', value: 600 }],
    extra: { n: k },
  });
}
