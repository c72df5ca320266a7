import { attachSink, type ActorRef, type Cell, type Host, type TraceSink } from '../kernel/index.js';
import type { TraceEnd, TraceEventKind, Tracer } from './TraceEvent.js';
import { previewOf } from './previewOf.js';

/** A trace's settings, checked (see `checkTraceOptions`). @internal */
export interface CheckedTraceOptions {
  readonly tracer: Tracer;
  readonly max: number;
  readonly ratePerSec: number | undefined;
  readonly kinds: readonly TraceEventKind[] | undefined;
}

/**
 * What `system.traces()` lists for one live trace.
 *
 * @example
 * system.traces(); // [{ actor: ref, max: 1000, ratePerSec: undefined, kinds: [...all], events: 3, startedAt: 1764755680000 }]
 */
export interface TraceInfo {
  readonly actor: ActorRef;
  readonly max: number;
  readonly ratePerSec: number | undefined;
  readonly kinds: readonly TraceEventKind[] | undefined;
  /** Events delivered so far. */
  readonly events: number;
  /** When the trace started (ms since the epoch). */
  readonly startedAt: number;
}

/** Live traces per host (system), for `system.traces()`. */
const liveTraces = new WeakMap<Host, Set<Trace>>();

/**
 * A live, bounded trace of one actor (made by `system.trace(ref, options)`): its events go
 * to the tracer until it delivered `max`, went over `ratePerSec`, was stopped or replaced,
 * its tracer threw, or the actor exited. `ended` tells which, with the count. `using` ends
 * it at the end of a block.
 *
 * @example
 * using trace = system.trace(ref, { tracer: (e) => console.log(e.seq, e.kind), max: 100 });
 * system.cast(ref, { type: 'inc', by: 1 });
 * trace.stop();
 * const { reason, events } = await trace.ended; // 'stopped', 2
 */
export class Trace {
  /** The traced actor. */
  readonly actor: ActorRef;
  /** Settles once, when the trace ends. */
  readonly ended: Promise<TraceEnd>;
  readonly #sink: TraceSink;
  readonly #options: CheckedTraceOptions;
  readonly #startedAt = Date.now();

  /** Made by `system.trace`; attaches to `cell` (alive), replacing any trace it had. @internal */
  constructor(cell: Cell, host: Host, options: CheckedTraceOptions) {
    this.actor = cell;
    this.#options = options;
    let resolve!: (end: TraceEnd) => void;
    this.ended = new Promise<TraceEnd>((r) => {
      resolve = r;
    });
    let live = liveTraces.get(host);
    if (live === undefined) liveTraces.set(host, (live = new Set()));
    const set = live;
    this.#sink = attachSink(cell, {
      tracer: options.tracer,
      max: options.max,
      ratePerSec: options.ratePerSec ?? Infinity,
      kinds: options.kinds === undefined ? null : new Set(options.kinds),
      preview: (v) => previewOf(v),
      onEnd: (end) => {
        set.delete(this);
        resolve(end);
      },
    });
    if (!this.#sink.ended) set.add(this);
  }

  /** True until the trace ends. */
  get active(): boolean {
    return !this.#sink.ended;
  }

  /** Events delivered so far. */
  get events(): number {
    return this.#sink.events;
  }

  /**
   * Ends the trace (reason `stopped`); a no-op once it has ended.
   *
   * @example
   * trace.stop();
   */
  stop(): void {
    this.#sink.end('stopped');
  }

  /**
   * What `system.traces()` lists for this trace.
   *
   * @example
   * trace.info().events; // 3
   */
  info(): TraceInfo {
    const o = this.#options;
    return { actor: this.actor, max: o.max, ratePerSec: o.ratePerSec, kinds: o.kinds, events: this.#sink.events, startedAt: this.#startedAt };
  }

  /** Ends the trace (as `stop()`), for `using`. */
  [Symbol.dispose](): void {
    this.stop();
  }
}

/**
 * The live traces in a host (a system), oldest first. @internal
 *
 * @example
 * tracesIn(core).length; // 1
 */
export function tracesIn(host: Host): Trace[] {
  return [...(liveTraces.get(host) ?? [])];
}
