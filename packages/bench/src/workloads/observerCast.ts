/**
 * `observer_cast`: what a connected observer page costs the application. Casts per second
 * over a tree of ~1k actors (a one_for_one `Supervisor` of `observerActors` counters), with
 * and without an `@arbor/debug` observer sampling the tree and one SSE client reading
 * `/events` (a page connected: it gets the snapshot, then the diffs).
 *
 * - arbor: the observer (`startObserver(localSource(system))`, default sampling) and the
 *   client run during the round; the casts go round-robin to every actor in batches of
 *   10 per actor, with a `setImmediate` turn between batches, for `observerRoundMs`, then
 *   every actor is called once (each call is answered after that actor's casts).
 * - no_observer: the same round with no observer.
 *
 * The rounds alternate (no observer, observer, ...) and the best of each counts. The
 * client reads bytes only: a browser parses the JSON in its own process, not in the app's.
 */
import { request } from 'node:http';
import { call, cast, childSpec, Supervisor, type ActorRef, type ActorSystem } from '@arbor/core';
import { localSource, startObserver, type Observer } from '@arbor/debug';
import { makeRecord, type WorkloadRecord } from '../record.js';
import type { Sizes } from '../sizes.js';
import { benchSystem, Counter, INC, type CounterProtocol } from '../subjects.js';
import { bestOfRounds, now, perSecond } from '../util.js';

const CASTS_PER_ACTOR_PER_BATCH = 10;

/** An SSE client of the observer's `/events`, counting the bytes it reads. */
function connectPage(observer: Observer): { bytes: () => number; close: () => void } {
  const url = new URL(observer.url);
  let bytes = 0;
  const req = request({ agent: false, host: url.hostname, port: url.port, path: '/events', headers: { 'x-arbor-token': url.searchParams.get('token')! } }, (res) => {
    res.on('data', (chunk: Buffer) => (bytes += chunk.length));
    res.on('error', () => {});
  });
  req.on('error', () => {});
  req.end();
  return { bytes: () => bytes, close: () => req.destroy() };
}

/** Casts round-robin to `actors` for `ms`, then waits until each has handled its casts; returns casts/s. */
async function round(actors: readonly ActorRef<CounterProtocol>[], ms: number): Promise<number> {
  let sent = 0;
  const t0 = now();
  while (now() - t0 < ms) {
    for (let k = 0; k < CASTS_PER_ACTOR_PER_BATCH; k++) for (const ref of actors) cast(ref, INC);
    sent += CASTS_PER_ACTOR_PER_BATCH * actors.length;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  await Promise.all(actors.map((ref) => call(ref, { type: 'get' }, { timeout: Infinity })));
  return perSecond(sent, now() - t0);
}

export async function observerCastWorkload(sizes: Sizes): Promise<WorkloadRecord> {
  const { observerActors: n, observerRoundMs: ms, rounds } = sizes;
  const system: ActorSystem = benchSystem();
  try {
    const sup = await Supervisor.start(system, {
      strategy: 'one_for_one',
      children: Array.from({ length: n }, (_, i) => childSpec(Counter, 0, { id: `counter-${i}` })),
    });
    const actors = (await Supervisor.whichChildren(sup)).flatMap((c) => (typeof c.ref === 'object' ? [c.ref as ActorRef<CounterProtocol>] : []));
    if (actors.length !== n) throw new Error(`observer_cast: found ${actors.length} counters, expected ${n}`);

    let bytes = 0;
    let samples = 0;
    const withObserver = async (): Promise<number> => {
      const observer = await startObserver(localSource(system));
      const page = connectPage(observer);
      try {
        return await round(actors, ms);
      } finally {
        bytes = page.bytes();
        samples++;
        page.close();
        await observer.close();
      }
    };

    // Warm-up, not counted.
    await round(actors, Math.ceil(ms / 4));
    await withObserver();

    const { no_observer: without, arbor } = await bestOfRounds(rounds, {
      no_observer: () => round(actors, ms),
      arbor: withObserver,
    });
    return makeRecord({
      arbor,
      limit: null,
      peers: { no_observer: without },
      unit: 'casts/s',
      better: 'higher',
      targets: [{ against: 'no_observer', op: '>=', value: 0.95 }],
      extra: { actors: n, round_ms: ms, rounds, page_bytes_last_round: bytes, observer_rounds: samples },
    });
  } finally {
    await system.shutdown();
  }
}

