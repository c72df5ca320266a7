/**
 * The time slice holds inside an actor's turn: slow handlers (sync, or slow before their
 * first await) let timers and I/O run between their messages instead of holding the loop
 * for a whole turn of up to 256 messages.
 */
import test from 'ava';
import { performance } from 'node:perf_hooks';
import { call, cast, createSystem, GenServer, type ActorRef, type ActorSystem, type Call } from '../../src/index.js';

const MESSAGES = 200;

/** Holds the thread for `ms`, as a costly handler (a big dump, a parse) does. */
function busyWait(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

interface SlowProtocol {
  cast: 'work';
  call: Call<'count', number>;
}

/** Busy-waits ~5 ms per cast. */
class SlowSync extends GenServer<SlowProtocol, number> {
  override init(): void {
    this.state = 0;
  }
  override handleCast(): void {
    busyWait(5);
    this.state++;
  }
  override handleCall(): number {
    return this.state;
  }
}

/** Busy-waits ~5 ms per cast, then awaits. */
class SlowAsync extends GenServer<SlowProtocol, number> {
  override init(): void {
    this.state = 0;
  }
  override async handleCast(): Promise<void> {
    busyWait(5);
    await Promise.resolve();
    this.state++;
  }
  override handleCall(): number {
    return this.state;
  }
}

/**
 * Queues MESSAGES casts to a suspended actor, then resumes it with a setImmediate sampler
 * running: each time the event loop gets a turn, the sampler records how many messages
 * the actor has handled. Returns the samples up to the drain.
 */
async function sampleDrain(system: ActorSystem, ref: ActorRef<SlowProtocol>): Promise<number[]> {
  await system.suspend(ref);
  for (let i = 0; i < MESSAGES; i++) cast(ref, 'work');
  // The drain starts inside resume's tick: the first sample is the count before it.
  const samples: number[] = [system.getStatus(ref).messagesHandled];
  let done = false;
  const sample = (): void => {
    const handled = system.getStatus(ref).messagesHandled;
    samples.push(handled);
    if (!done) setImmediate(sample);
  };
  setImmediate(sample);
  await system.resume(ref);
  const count = await call(ref, { type: 'count' }, { timeout: Infinity });
  done = true;
  if (count !== MESSAGES) throw new Error(`handled ${count} of ${MESSAGES}`);
  samples.push(count);
  return samples;
}

/** The most messages handled between two consecutive turns of the event loop. */
function longestRun(samples: readonly number[]): number {
  let longest = 0;
  for (let i = 1; i < samples.length; i++) longest = Math.max(longest, samples[i]! - samples[i - 1]!);
  return longest;
}

test.serial('a slow synchronous handler: the event loop gets a turn between its messages, not after a whole turn of 200', async (t) => {
  const system = createSystem({ name: 'slow-sync' });
  const ref = await system.spawn(SlowSync, undefined);
  const samples = await sampleDrain(system, ref);
  // 5 ms a message against a 1 ms slice: the slice is checked within the turn, so a
  // handful of messages at most run between two loop turns (before: all 200 in one).
  t.true(samples[1]! <= 16, `the loop first ran after ${samples[1]} messages`);
  t.true(longestRun(samples) <= 16, `up to ${longestRun(samples)} messages between two loop turns`);
  await system.shutdown();
});

test.serial('a handler slow before its first await: the event loop gets a turn between its messages', async (t) => {
  const system = createSystem({ name: 'slow-async' });
  const ref = await system.spawn(SlowAsync, undefined);
  const samples = await sampleDrain(system, ref);
  // Each message is its own scheduler tick (the handler parks the actor until it settles):
  // the slice is checked after an async handler, not only every 64 ticks.
  t.true(longestRun(samples) <= 16, `up to ${longestRun(samples)} messages between two loop turns`);
  await system.shutdown();
});
