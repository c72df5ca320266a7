/**
 * A typed counter: the "hello world" of actors.
 *
 * Its protocol says what it accepts. `Call<'get', number>` is a call whose reply is a
 * number, so `system.call(counter, { type: 'get' })` is a `Promise<number>` with no cast
 * or annotation; `inc` is a cast (fire and forget). Anything else fails to compile.
 */
import { GenServer, type Call } from '@arbor/core';

/** What the counter accepts. */
export interface CounterProtocol {
  call: Call<'get', number>;
  cast: { type: 'inc'; by: number };
}

/** Holds a number; `inc` adds to it, `get` reads it. The start argument is the initial value. */
export class Counter extends GenServer<CounterProtocol, number, number> {
  override init(start: number): void {
    this.state = start;
  }

  override handleCast(msg: CounterProtocol['cast']): void {
    this.state += msg.by;
  }

  override handleCall(_req: CounterProtocol['call']): number {
    return this.state;
  }
}
