/**
 * `spawn`: idle actors started per second.
 *
 * - arbor: `await system.spawn(Counter, 0)` K times, in a fresh system each round.
 * - xstate: `createActor(fromTransition(...)).start()` K times (peers.mjs).
 *
 * The actors of a round stay alive until the round is timed, then are stopped (untimed).
 * No raw limit: there is no cheaper "actor" to start than an object.
 */
import type { ActorRef } from '@arbor/core';
import { createActor, type Actor } from 'xstate';
import { makeRecord, type WorkloadRecord } from '../record.js';
import type { Sizes } from '../sizes.js';
import { benchSystem, Counter, idleLogic } from '../subjects.js';
import { bestOfRounds, now, perSecond } from '../util.js';

async function arborRound(k: number): Promise<number> {
  const system = benchSystem();
  const refs: ActorRef[] = new Array(k);
  try {
    const t0 = now();
    for (let i = 0; i < k; i++) refs[i] = await system.spawn(Counter, 0);
    const ms = now() - t0;
    if (system.size !== k) throw new Error(`arbor spawn: ${system.size} actors alive, expected ${k}`);
    return perSecond(k, ms);
  } finally {
    await system.shutdown();
  }
}

function xstateRound(k: number): number {
  const actors: Actor<typeof idleLogic>[] = new Array(k);
  const t0 = now();
  for (let i = 0; i < k; i++) actors[i] = createActor(idleLogic).start();
  const ms = now() - t0;
  for (const a of actors) a.stop();
  return perSecond(k, ms);
}

export async function spawnWorkload(sizes: Sizes): Promise<WorkloadRecord> {
  const { spawnN: k, rounds } = sizes;

  await arborRound(Math.ceil(k / 10));
  xstateRound(Math.ceil(k / 10));

  const { arbor, xstate } = await bestOfRounds(rounds, { arbor: () => arborRound(k), xstate: () => xstateRound(k) });

  return makeRecord({
    arbor,
    limit: null,
    peers: { xstate },
    unit: 'actors/s',
    better: 'higher',
    targets: [{ against: 'xstate', op: '>=', value: 5 }],
    extra: { n: k, rounds },
  });
}
