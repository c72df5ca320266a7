/**
 * Many short turns cannot hold the event loop: a tick of many actors with one slow message
 * each, and a run of ticks in one event-loop turn (an outside caller's sequential calls),
 * yield once they have used the time slice. Each handler busy-waits longer than the 1 ms
 * slice, so the scheduler's first check of the clock must yield: the tests count how many
 * messages were handled between two callbacks of a real timer, which holds whatever the
 * machine's speed.
 */
import test from 'ava';
import { coreOfSystem } from '../../src/system/ActorSystem.js';
import { performance } from 'node:perf_hooks';
import { call, cast, createSystem, GenServer, type ActorRef, type ActorSystem, type Call } from '../../src/index.js';

/** Busy-waits 2 ms: longer than the 1 ms slice, so any check of the clock after it yields. */
function slowStep(): void {
  const end = performance.now() + 2;
  while (performance.now() < end);
}

/** Messages handled by every Slow actor of the test file (one test runs at a time). */
let handled = 0;
/** The running test's system, and its scheduler's yield count at each message handled. */
let current: ActorSystem | undefined;
let yieldsAt: number[] = [];

interface SlowProtocol {
  cast: 'work';
  call: Call<'work', number>;
}

/** Each message busy-waits 2 ms. */
class Slow extends GenServer<SlowProtocol, null> {
  override init(): void {
    this.state = null;
  }
  override handleCast(): void {
    slowStep();
    handled++;
    yieldsAt.push(coreOfSystem(current!).scheduler.yields);
  }
  override handleCall(): number {
    slowStep();
    return ++handled;
  }
}

interface FanProtocol {
  cast: 'fan';
}

/** Casts one 'work' to each of its workers in one turn. */
class Fan extends GenServer<FanProtocol, readonly ActorRef<SlowProtocol>[], readonly ActorRef<SlowProtocol>[]> {
  override init(workers: readonly ActorRef<SlowProtocol>[]): void {
    this.state = workers;
  }
  override handleCast(): void {
    for (const ref of this.state) cast(ref, 'work');
  }
}

async function spawnSlow(system: ActorSystem, n: number): Promise<ActorRef<SlowProtocol>[]> {
  const refs: ActorRef<SlowProtocol>[] = [];
  for (let i = 0; i < n; i++) refs.push(await system.spawn(Slow, undefined));
  return refs;
}

/**
 * Runs `start` (which queues `total` slow messages) with a 1 ms timer re-armed on each of
 * its callbacks, until `total` messages are handled; returns the most messages handled
 * between two timer callbacks.
 */
async function longestRunBetweenTimers(total: number, start: () => void | Promise<unknown>): Promise<number> {
  handled = 0;
  let last = -1;
  let longest = 0;
  const done = new Promise<void>((resolve) => {
    const sample = (): void => {
      // From the first callback on: before it, the scheduler's first yield may reach the
      // check phase of the same loop turn (started from poll) without a timers phase.
      if (last >= 0) longest = Math.max(longest, handled - last);
      last = handled;
      if (handled >= total) resolve();
      else setTimeout(sample, 1);
    };
    setTimeout(sample, 1);
  });
  await start();
  await done;
  return longest;
}

test.serial('200 actors with one slow message each: at most 8 are handled between two timer callbacks (before: 64)', async (t) => {
  const system = createSystem({ name: 'short-turns', scheduler: { sliceMs: 1 } });
  const refs = await spawnSlow(system, 200);
  current = system;
  const longest = await longestRunBetweenTimers(200, () => {
    for (const ref of refs) cast(ref, 'work');
  });
  t.true(longest <= 8, `${longest} messages were handled between two timer callbacks`);
  await system.shutdown();
});

test.serial('100 actors with three slow messages each: at most 8 are handled between two timer callbacks', async (t) => {
  const system = createSystem({ name: 'short-turns', scheduler: { sliceMs: 1 } });
  const refs = await spawnSlow(system, 100);
  current = system;
  const longest = await longestRunBetweenTimers(300, () => {
    for (let i = 0; i < 3; i++) for (const ref of refs) cast(ref, 'work');
  });
  t.true(longest <= 8, `${longest} messages were handled between two timer callbacks`);
  await system.shutdown();
});

test.serial('one actor fanning out to 200 slow actors in its turn: at most 8 are handled between two timer callbacks', async (t) => {
  const system = createSystem({ name: 'short-turns', scheduler: { sliceMs: 1 } });
  const refs = await spawnSlow(system, 200);
  const fan = await system.spawn(Fan, refs);
  current = system;
  yieldsAt = [];
  const yieldsBefore = coreOfSystem(system).scheduler.yields;
  const longest = await longestRunBetweenTimers(200, () => cast(fan, 'fan'));
  t.true(longest <= 8, `${longest} messages were handled between two timer callbacks`);
  // The fan's tick began with one cell queued: its slice starts when the fan's turn queues
  // the others, so the scheduler yields within 8 turns of it too.
  const firstSlice = yieldsAt.filter((y) => y === yieldsBefore).length;
  t.true(firstSlice <= 8, `${firstSlice} messages were handled before the scheduler first yielded`);
  await system.shutdown();
});

test.serial('400 sequential calls to a slow actor: at most 8 are answered between two timer callbacks (before: 128)', async (t) => {
  const system = createSystem({ name: 'short-turns', scheduler: { sliceMs: 1 } });
  const [ref] = await spawnSlow(system, 1);
  let answered = 0;
  const longest = await longestRunBetweenTimers(400, async () => {
    for (let i = 0; i < 400; i++) answered = await call(ref!, { type: 'work' }, { timeout: Infinity });
  });
  t.is(answered, 400);
  t.true(longest <= 8, `${longest} calls were answered between two timer callbacks`);
  await system.shutdown();
});
