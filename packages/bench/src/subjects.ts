/**
 * The things being measured, shared by the workloads: Arbor's counter actor, the
 * raw-limit ring-buffer queue and the xstate counters.
 */
import { createLogger, createSystem, GenServer, type ActorSystem, type Call } from '@arbor/core';
import { assign, createMachine, fromTransition } from 'xstate';

// ------------------------------------------------------------------ Arbor

/** The counter's protocol: casts add to the state, `get` reads it. */
export interface CounterProtocol {
  call: Call<'get', number>;
  cast: IncMsg;
}

export interface IncMsg {
  readonly type: 'inc';
  readonly by: number;
}

/** One message object reused by every sender, as in limits.mjs (no allocation per message). */
export const INC: IncMsg = { type: 'inc', by: 1 };

/** Arbor's counter: a GenServer whose state is a number. */
export class Counter extends GenServer<CounterProtocol, number, number> {
  override init(start: number): void {
    this.state = start;
  }

  override handleCast(msg: IncMsg): void {
    this.state += msg.by;
  }

  override handleCall(_req: { type: 'get' }): number {
    return this.state;
  }
}

/** A system that logs nothing (shut it down when done). */
export function benchSystem(): ActorSystem {
  return createSystem({ name: 'bench', logger: createLogger('silent') });
}

// ------------------------------------------------------------------ raw limit

/** The ring-buffer queue of limits.mjs section 1: the cheapest one-thread delivery. */
export class Ring {
  a: unknown[] = new Array(16);
  h = 0;
  t = 0;
  mask = 15;

  push(x: unknown): void {
    this.a[this.t] = x;
    this.t = (this.t + 1) & this.mask;
    if (this.t === this.h) this.grow();
  }

  grow(): void {
    const n = this.a.length;
    const b = new Array(n * 2);
    for (let i = 0; i < n; i++) b[i] = this.a[(this.h + i) & this.mask];
    this.a = b;
    this.h = 0;
    this.t = n;
    this.mask = n * 2 - 1;
  }

  shift(): unknown {
    if (this.h === this.t) return undefined;
    const x = this.a[this.h];
    this.a[this.h] = undefined;
    this.h = (this.h + 1) & this.mask;
    return x;
  }
}

/** The handler limits.mjs calls for each drained message. */
export const ringHandler = { handleCast: (m: IncMsg, s: number): number => s + m.by };

// ------------------------------------------------------------------ xstate

/** xstate's counter machine: a context counter bumped by an `assign` action (peers.mjs). */
export const counterMachine = createMachine({
  types: {} as { context: { n: number }; events: IncMsg },
  context: { n: 0 },
  on: { inc: { actions: assign({ n: ({ context, event }) => context.n + event.by }) } },
});

/**
 * The idle xstate actor of peers.mjs' spawn and memory figures. One logic object is
 * shared by every actor, as one Arbor class is (peers.mjs builds one per actor, which
 * costs xstate about 400 more bytes per actor).
 */
export const idleLogic = fromTransition((s: number, _e: IncMsg) => s + 1, 0);
