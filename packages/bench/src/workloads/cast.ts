/**
 * `cast`: one actor with a counter, messages per second, the sender loop included.
 *
 * - arbor: `cast(ref, INC)` N times, then `await call(ref, get, { timeout: Infinity })`,
 *   which is answered once the N casts ahead of it are handled.
 * - limit: limits.mjs section 1: push N into a ring-buffer queue, drain N through the handler.
 * - xstate: a machine actor's `send`, the counter bumped by an `assign` action (peers.mjs).
 *
 * Each contender is warmed up, then the rounds run interleaved (arbor, limit, xstate,
 * arbor, ...) and the best round of each counts. Like limits.mjs' fresh ring per round,
 * each Arbor round casts to a freshly spawned actor (spawned and stopped outside the
 * timing), so both queues grow from empty: a mailbox kept from an earlier round is
 * already grown and skips the reallocation, which is worth up to 3x on this workload.
 */
import { call, cast, type ActorRef, type ActorSystem } from '@arbor/core';
import { createActor, type Actor } from 'xstate';
import { makeRecord, type WorkloadRecord } from '../record.js';
import type { Sizes } from '../sizes.js';
import { benchSystem, Counter, counterMachine, INC, Ring, ringHandler, type CounterProtocol, type IncMsg } from '../subjects.js';
import { bestOfRounds, now, perSecond } from '../util.js';

/** Casts `n` messages to a fresh counter and waits until they are handled; returns msgs/s. */
async function arborRound(system: ActorSystem, n: number): Promise<number> {
  const ref: ActorRef<CounterProtocol> = await system.spawn(Counter, 0);
  const t0 = now();
  for (let i = 0; i < n; i++) cast(ref, INC);
  const total = await call(ref, { type: 'get' }, { timeout: Infinity });
  const ms = now() - t0;
  await system.stop(ref);
  if (total !== n) throw new Error(`arbor cast: counter is ${total}, expected ${n}`);
  return perSecond(n, ms);
}

/** Pushes `n` messages into a ring buffer, then drains them through the handler; returns msgs/s. */
function limitRound(n: number): number {
  const q = new Ring();
  let s = 0;
  const t0 = now();
  for (let i = 0; i < n; i++) q.push(INC);
  let m: unknown;
  while ((m = q.shift()) !== undefined) s = ringHandler.handleCast(m as IncMsg, s);
  const ms = now() - t0;
  if (s !== n) throw new Error(`ring queue: counter is ${s}, expected ${n}`);
  return perSecond(n, ms);
}

/** Sends `n` events to the machine actor; returns events/s. */
function xstateRound(actor: Actor<typeof counterMachine>, n: number, expected: number): number {
  const t0 = now();
  for (let i = 0; i < n; i++) actor.send(INC);
  const ms = now() - t0;
  const total = actor.getSnapshot().context.n;
  if (total !== expected) throw new Error(`xstate send: counter is ${total}, expected ${expected}`);
  return perSecond(n, ms);
}

export async function castWorkload(sizes: Sizes): Promise<WorkloadRecord> {
  const { castN: n, castPeerN: peerN, rounds } = sizes;
  const system = benchSystem();
  const actor = createActor(counterMachine).start();
  try {
    let xstateTotal = 0;

    // Warm-up: a tenth of a round each, not counted.
    await arborRound(system, Math.ceil(n / 10));
    limitRound(Math.ceil(n / 10));
    xstateRound(actor, Math.ceil(peerN / 10), (xstateTotal += Math.ceil(peerN / 10)));

    const { arbor, limit, xstate } = await bestOfRounds(rounds, {
      arbor: () => arborRound(system, n),
      limit: () => limitRound(n),
      xstate: () => xstateRound(actor, peerN, (xstateTotal += peerN)),
    });

    return makeRecord({
      arbor,
      limit,
      peers: { xstate },
      unit: 'msgs/s',
      better: 'higher',
      targets: [
        { against: 'limit', op: '>=', value: 0.5 },
        { against: 'xstate', op: '>=', value: 30 },
      ],
      extra: { n, peer_n: peerN, rounds },
    });
  } finally {
    actor.stop();
    await system.shutdown();
  }
}
