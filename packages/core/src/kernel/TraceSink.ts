import type { Cell } from './Cell.js';
import type { TraceEnd, TraceEndReason, TraceEvent, TraceEventKind, TraceOutcome, TraceVia, Tracer } from '../trace/TraceEvent.js';

/** What a trace sink is built from (checked by the caller). @internal */
export interface TraceSinkOptions {
  readonly tracer: Tracer;
  /** Events delivered before the trace ends with `max` (a positive integer). */
  readonly max: number;
  /** More events than this within one second end the trace with `rate` (Infinity: no limit). */
  readonly ratePerSec: number;
  /** The kinds delivered (null: all); the others are neither delivered nor counted. */
  readonly kinds: ReadonlySet<TraceEventKind> | null;
  /** The size-capped text of a message (the caller's `previewOf`). */
  readonly preview: (value: unknown) => string;
  /** Told once, when the trace ends. */
  readonly onEnd: (end: TraceEnd) => void;
}

/**
 * A live trace attached to one cell (`cell.tracer`). The kernel's emit points test
 * `cell.tracer !== null` and only then call the helpers below, so an untraced cell pays
 * one branch per emit point and allocates nothing. The sink counts, applies the `max`
 * and rate limits (recon_trace's rule), and ends itself: it then detaches from the cell.
 * Events caused by the tracer itself (a cast it makes) are not traced. @internal
 *
 * @example
 * const sink = attachSink(cell, { tracer, max: 100, ratePerSec: Infinity, kinds: null, preview, onEnd });
 * sink.end('stopped');
 */
export class TraceSink {
  readonly startedAt = performance.now();
  /** Events delivered so far (also the last one's `seq`). */
  events = 0;
  ended = false;
  #windowStart = 0;
  #windowCount = 0;
  #delivering = false;
  /** When the handler of the last `received` message started, and how it came. */
  handlingSince = 0;
  handlingVia: Exclude<TraceVia, 'system'> = 'cast';

  constructor(
    readonly cell: Cell,
    readonly options: TraceSinkOptions,
  ) {}

  /** True when an event of this kind would be delivered. */
  wants(kind: TraceEventKind): boolean {
    return !this.ended && !this.#delivering && (this.options.kinds === null || this.options.kinds.has(kind));
  }

  /** Delivers one event built by `make(seq, at)`, applying the limits. */
  deliver(kind: TraceEventKind, fields: object): void {
    if (!this.wants(kind)) return;
    const now = performance.now();
    const o = this.options;
    if (o.ratePerSec !== Infinity) {
      if (this.#windowCount === 0 || now - this.#windowStart >= 1000) {
        this.#windowStart = now;
        this.#windowCount = 0;
      }
      if (++this.#windowCount > o.ratePerSec) {
        this.end('rate');
        return;
      }
    }
    const event = { kind, ...fields, seq: ++this.events, at: now - this.startedAt, actor: this.cell.id } as TraceEvent;
    this.#delivering = true;
    try {
      o.tracer(event);
    } catch (error) {
      this.#delivering = false;
      this.cell.host.logger.error('tracer threw; the trace ends', { report: 'tracer_error', actor: this.cell.id, reason: String(error) });
      this.end('tracer_error', { error });
      return;
    }
    this.#delivering = false;
    if (this.events >= o.max) this.end('max');
  }

  /** Ends the trace (once): detaches it from the cell and tells `onEnd`. */
  end(reason: TraceEndReason, extra?: { readonly exitReason?: unknown; readonly error?: unknown }): void {
    if (this.ended) return;
    this.ended = true;
    if (this.cell.tracer === this) this.cell.tracer = null;
    this.options.onEnd({ reason, events: this.events, ...extra });
  }
}

/**
 * Attaches a new trace to a live cell; one that was there ends with `replaced`. @internal
 *
 * @example
 * const sink = attachSink(cell, options);
 */
export function attachSink(cell: Cell, options: TraceSinkOptions): TraceSink {
  const old = cell.tracer;
  const sink = new TraceSink(cell, options);
  cell.tracer = sink;
  if (old !== null) old.end('replaced');
  return sink;
}

/** The cell's trace, or null. @internal */
export function sinkOf(cell: Cell): TraceSink | null {
  return cell.tracer;
}

// ------------------------------------------------------------------ emit helpers (call only when a sink is attached)

/** The cell took `via` message `msg` off its mailbox; its handler starts now. */
export function traceReceived(sink: TraceSink, via: TraceVia, msg: unknown): void {
  if (via !== 'system') {
    sink.handlingVia = via;
    sink.handlingSince = performance.now();
  }
  if (sink.wants('received')) sink.deliver('received', { via, preview: sink.options.preview(msg) });
}

/** The handler of the last received message ended with `outcome`. */
export function traceHandled(sink: TraceSink, outcome: TraceOutcome): void {
  if (sink.wants('handled')) sink.deliver('handled', { via: sink.handlingVia, outcome, durationUs: (performance.now() - sink.handlingSince) * 1000 });
}

/** The cell answered a call with `value`. */
export function traceReplied(sink: TraceSink, value: unknown): void {
  if (sink.wants('replied')) sink.deliver('replied', { preview: sink.options.preview(value) });
}

/** The cell sent `msg` to `to`. */
export function traceSent(sink: TraceSink, via: 'call' | 'cast' | 'info', to: Cell, msg: unknown): void {
  if (sink.wants('sent')) sink.deliver('sent', { via, to: to.id, preview: sink.options.preview(msg) });
}

/** `parent` (when traced) spawned `child`. */
export function traceSpawn(parent: Cell | null, child: Cell): void {
  const sink = parent === null ? null : parent.tracer;
  if (sink !== null && sink.wants('spawned')) sink.deliver('spawned', { child: child.id, behaviour: child.kind });
}

/** A link between `a` and `b` was made or removed: each traced side hears of it. */
export function traceLink(kind: 'linked' | 'unlinked', a: Cell, b: Cell): void {
  if (a.tracer !== null) a.tracer.deliver(kind, { other: b.id });
  if (b.tracer !== null) b.tracer.deliver(kind, { other: a.id });
}

/** `by` (a cell, a down hook's id or `'external'`) now monitors `target`: each traced cell of the two hears of it. */
export function traceMonitor(watcher: Cell | null, by: string, target: Cell): void {
  if (target.tracer !== null) target.tracer.deliver('monitored', { by, target: target.id });
  if (watcher !== null && watcher.tracer !== null) watcher.tracer.deliver('monitored', { by, target: target.id });
}

/** The cell exited: the last event, then the trace ends with `exited`. */
export function traceExited(sink: TraceSink, reason: unknown): void {
  sink.deliver('exited', { reason });
  sink.end('exited', { exitReason: reason });
}
