/**
 * The kinds of event a trace reports, in the order an actor's life shows them. Pass a
 * subset as `kinds` to `system.trace` to see only those.
 *
 * @example
 * system.trace(ref, { tracer: console.log, kinds: ['received', 'handled'] });
 * TRACE_EVENT_KINDS.includes('sent'); // true
 */
export const TRACE_EVENT_KINDS = ['received', 'handled', 'replied', 'sent', 'spawned', 'linked', 'unlinked', 'monitored', 'exited'] as const;

/**
 * One kind of trace event: `'received'`, `'handled'`, `'replied'`, `'sent'`, ...
 *
 * @example
 * const kinds: TraceEventKind[] = ['received', 'exited'];
 */
export type TraceEventKind = (typeof TRACE_EVENT_KINDS)[number];

/**
 * How a message reached the actor: a call, a cast, an info message (EXIT and DOWN
 * included) or a system request (getState, suspend, stop, ...).
 *
 * @example
 * if (event.kind === 'received' && event.via === 'call') calls++;
 */
export type TraceVia = 'call' | 'cast' | 'info' | 'system';

/**
 * How a handler ended: `ok` (returned; a call got its reply), `noreply` (a call left
 * unanswered for now: `noReply` or a reply still to come), `stop` (it asked the actor to
 * stop), `crash` (it threw or rejected).
 *
 * @example
 * if (event.kind === 'handled' && event.outcome === 'crash') alert(event.actor);
 */
export type TraceOutcome = 'ok' | 'noreply' | 'stop' | 'crash';

/** Fields every trace event has. */
interface TraceEventBase {
  /** 1 for the trace's first delivered event, then 2, 3, ...: the order the tracer sees them in. */
  readonly seq: number;
  /** Milliseconds since the trace started (`performance.now()` based, fractional). */
  readonly at: number;
  /** The traced actor's id. */
  readonly actor: string;
}

/**
 * The actor took a message off its mailbox to handle it (OTP `sys`'s `{in, Msg}`).
 * `preview` is a size-capped text of the message (see `previewOf`).
 *
 * @example
 * { kind: 'received', via: 'cast', preview: "{ type: 'inc', by: 1 }", seq: 1, at: 0.4, actor: 'V1StGXR8_Z5j' }
 */
export interface TraceReceived extends TraceEventBase {
  readonly kind: 'received';
  readonly via: TraceVia;
  readonly preview: string;
}

/**
 * The handler of the last `received` call, cast or info message ended, after
 * `durationUs` microseconds (an async handler: until it settled).
 *
 * @example
 * { kind: 'handled', via: 'call', outcome: 'ok', durationUs: 12.5, seq: 2, at: 0.41, actor: 'V1StGXR8_Z5j' }
 */
export interface TraceHandled extends TraceEventBase {
  readonly kind: 'handled';
  readonly via: Exclude<TraceVia, 'system'>;
  readonly outcome: TraceOutcome;
  readonly durationUs: number;
}

/**
 * The actor answered a call (returned a value, or `this.reply` for a deferred one).
 *
 * @example
 * { kind: 'replied', preview: '2', seq: 3, at: 0.41, actor: 'V1StGXR8_Z5j' }
 */
export interface TraceReplied extends TraceEventBase {
  readonly kind: 'replied';
  readonly preview: string;
}

/**
 * The actor sent a message (from its handler or init) to `to` (an actor id).
 *
 * @example
 * { kind: 'sent', via: 'cast', to: 'Uakgb_J5m9g-', preview: "{ type: 'ping' }", seq: 4, at: 0.5, actor: 'V1StGXR8_Z5j' }
 */
export interface TraceSent extends TraceEventBase {
  readonly kind: 'sent';
  readonly via: 'call' | 'cast' | 'info';
  readonly to: string;
  readonly preview: string;
}

/**
 * The actor spawned `child` (an actor id), whose behaviour class is `behaviour`.
 *
 * @example
 * { kind: 'spawned', child: 'Uakgb_J5m9g-', behaviour: 'Worker', seq: 5, at: 0.6, actor: 'V1StGXR8_Z5j' }
 */
export interface TraceSpawned extends TraceEventBase {
  readonly kind: 'spawned';
  readonly child: string;
  readonly behaviour: string;
}

/**
 * A link between the actor and `other` (an actor id) was made (`linked`) or removed (`unlinked`).
 *
 * @example
 * { kind: 'linked', other: 'Uakgb_J5m9g-', seq: 6, at: 0.7, actor: 'V1StGXR8_Z5j' }
 */
export interface TraceLinked extends TraceEventBase {
  readonly kind: 'linked' | 'unlinked';
  readonly other: string;
}

/**
 * A monitor was set up: `by` (an actor id, a registry's id, or `'external'` for a
 * callback outside any actor) now monitors `target`. The traced actor is one of the two.
 *
 * @example
 * { kind: 'monitored', by: 'V1StGXR8_Z5j', target: 'Uakgb_J5m9g-', seq: 7, at: 0.8, actor: 'V1StGXR8_Z5j' }
 */
export interface TraceMonitored extends TraceEventBase {
  readonly kind: 'monitored';
  readonly by: string;
  readonly target: string;
}

/**
 * The actor exited with `reason`; the trace ends with it (reason `exited`).
 *
 * @example
 * { kind: 'exited', reason: 'normal', seq: 8, at: 0.9, actor: 'V1StGXR8_Z5j' }
 */
export interface TraceExited extends TraceEventBase {
  readonly kind: 'exited';
  readonly reason: unknown;
}

/**
 * One event of a live trace, told to the tracer: a union discriminated by `kind`.
 *
 * @example
 * const tracer = (e: TraceEvent) => { if (e.kind === 'handled') console.log(e.outcome, e.durationUs); };
 */
export type TraceEvent = TraceReceived | TraceHandled | TraceReplied | TraceSent | TraceSpawned | TraceLinked | TraceMonitored | TraceExited;

/**
 * Why a trace ended: it delivered `max` events, it went over `ratePerSec`, `stop()` or
 * `trace(ref, false)` ended it, the actor exited, the tracer threw, or a new trace on the
 * same actor replaced it.
 *
 * @example
 * const { reason } = await trace.ended; // 'max'
 */
export type TraceEndReason = 'max' | 'rate' | 'stopped' | 'exited' | 'tracer_error' | 'replaced';

/**
 * How a trace ended: the reason, the events delivered, and (for `exited`) the actor's
 * exit reason or (for `tracer_error`) what the tracer threw.
 *
 * @example
 * const end = await trace.ended; // { reason: 'exited', events: 4, exitReason: Error('boom') }
 */
export interface TraceEnd {
  readonly reason: TraceEndReason;
  readonly events: number;
  readonly exitReason?: unknown;
  readonly error?: unknown;
}

/**
 * A function told of each event, synchronously, inside the traced actor's turn: keep it
 * cheap. If it throws, the trace ends (`tracer_error`) and the actor carries on.
 *
 * @example
 * const tracer: Tracer = (e) => lines.push(`${e.seq} ${e.kind}`);
 */
export type Tracer = (event: TraceEvent) => void;
