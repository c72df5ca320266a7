/**
 * `machine_cast`: events per second into an xstate machine running as an Arbor actor
 * (`fromMachine` from @arbor/xstate), against a bare xstate `createActor` of the same
 * machine in the same run. The ratio is what the wrapper costs: the target is at most 20%.
 *
 * - arbor: `sendEvent(ref, INC)` N times into a fresh machine actor (spawned and stopped
 *   outside the timing), then `getSnapshot(ref)`, answered once the N events ahead of it
 *   are processed; the counter must read N. The actor persists nothing (`restartFrom:
 *   'initial'`): the hot path is the mailbox, then `actor.send`.
 * - peers.xstate: `actor.send(INC)` N times into a fresh `createActor(counterMachine)`
 *   (xstate processes each event synchronously inside `send`).
 * - No limit: the peer is the reference.
 *
 * Warm-up rounds first, then rounds interleaved (arbor, xstate, ...); the best of each counts.
 */
import type { ActorSystem } from '@arbor/core';
import { fromMachine, getSnapshot, sendEvent } from '@arbor/xstate';
import { createActor } from 'xstate';
import { makeRecord, type WorkloadRecord } from '../record.js';
import type { Sizes } from '../sizes.js';
import { benchSystem, counterMachine, INC } from '../subjects.js';
import { bestOfRounds, now, perSecond } from '../util.js';

const CounterMachine = fromMachine(counterMachine, { name: 'counter_machine' });

/** Sends `n` events to a fresh machine actor and waits until they are processed; returns events/s. */
async function arborRound(system: ActorSystem, n: number): Promise<number> {
  const ref = await system.spawn(CounterMachine, {});
  const t0 = now();
  for (let i = 0; i < n; i++) sendEvent(ref, INC);
  const total = (await getSnapshot(ref, { timeout: Infinity })).context.n;
  const ms = now() - t0;
  await system.stop(ref);
  if (total !== n) throw new Error(`machine_cast: counter is ${total}, expected ${n}`);
  return perSecond(n, ms);
}

/** Sends `n` events to a fresh bare xstate actor; returns events/s. */
function xstateRound(n: number): number {
  const actor = createActor(counterMachine).start();
  const t0 = now();
  for (let i = 0; i < n; i++) actor.send(INC);
  const ms = now() - t0;
  const total = actor.getSnapshot().context.n;
  actor.stop();
  if (total !== n) throw new Error(`machine_cast xstate: counter is ${total}, expected ${n}`);
  return perSecond(n, ms);
}

export async function machineCastWorkload(sizes: Sizes): Promise<WorkloadRecord> {
  const { machineCastN: n, rounds } = sizes;
  const system = benchSystem();
  try {
    await arborRound(system, Math.ceil(n / 10));
    xstateRound(Math.ceil(n / 10));
    const { arbor, xstate } = await bestOfRounds(rounds, { arbor: () => arborRound(system, n), xstate: () => xstateRound(n) });
    return makeRecord({
      arbor,
      limit: null,
      peers: { xstate },
      unit: 'events/s',
      better: 'higher',
      targets: [{ against: 'xstate', op: '>=', value: 0.8 }],
      extra: { n, rounds },
    });
  } finally {
    await system.shutdown();
  }
}
