/**
 * The `trace` op: `{"op":"trace","id":"...","max":N,"kinds":[...]}` streams a bounded live
 * trace of one actor on the connection: one `{"ok":true,"trace":"started"}` line, one
 * `{"event":{...}}` line per event (a `TraceEvent`; an `exited` event's `reason` as
 * `formatReason` text), then `{"ended":{...}}` (a `TraceEnd`, with `exitReason` and `error`
 * as text). `{"op":"untrace"}` or closing the connection (or ending the client's side of
 * it: `stoppedBy` `ended`, and the endpoint ends its side after the `ended` line) stops it, and so does a client
 * that stops reading: once more than the endpoint's write limit is buffered for it, the
 * trace ends (`"ended":{"reason":"stopped",...}` with `"stoppedBy":"slow_client"`), so a
 * reader that stalls costs the application no memory.
 * @internal
 */
import type { Socket } from 'node:net';
import { formatReason, type Trace, type TraceEnd, type TraceEvent, type TraceEventKind } from '@arbor/core';
import { errorLine, jsonLine } from '../wire.js';
import type { OpContext } from './OpContext.js';

/** What a `trace` request asks for (checked by the wire parser). */
export interface WireTraceRequest {
  readonly id: string;
  readonly max: number;
  readonly kinds: readonly TraceEventKind[] | undefined;
  readonly ratePerSec: number | undefined;
}

/** Who stopped a trace the endpoint ended itself. */
export type StoppedBy = 'untrace' | 'slow_client' | 'closed' | 'ended';

/**
 * One trace streamed on one connection. Made by {@link startWireTrace}.
 *
 * @example
 * const t = startWireTrace(ctx, socket, { id, max: 100, kinds: undefined, ratePerSec: undefined }, 1 << 20, () => pump());
 * t.stop('untrace');
 */
export class WireTrace {
  readonly #trace: Trace;
  #stoppedBy: StoppedBy | undefined;

  constructor(trace: Trace, socket: Socket, onEnd: () => void) {
    this.#trace = trace;
    void trace.ended.then((end) => {
      if (!socket.destroyed && socket.writable) socket.write(jsonLine(endedLine(end, this.#stoppedBy)));
      onEnd();
    });
  }

  /** Ends the trace (a no-op once it ended). */
  stop(by: StoppedBy): void {
    if (!this.#trace.active) return;
    this.#stoppedBy = by;
    this.#trace.stop();
  }
}

/**
 * Starts the trace a request asks for, writing its `started` line, or returns the error
 * line to answer (`no_actor`). `highWater`: the buffered bytes above which the client is
 * too slow and the trace ends. `onEnd` runs once the `ended` line is written.
 */
export function startWireTrace(ctx: OpContext, socket: Socket, req: WireTraceRequest, highWater: number, onEnd: () => void): WireTrace | string {
  const ref = ctx.system.lookup(req.id);
  if (ref === undefined) return errorLine('no_actor', `no live actor has id ${req.id}`);
  let wire: WireTrace | undefined;
  const tracer = (event: TraceEvent): void => {
    if (socket.destroyed || !socket.writable) {
      wire?.stop('closed');
      return;
    }
    socket.write(jsonLine({ event: event.kind === 'exited' ? { ...event, reason: formatReason(event.reason) } : event }));
    if (socket.writableLength > highWater) wire?.stop('slow_client');
  };
  const trace = ctx.system.trace(ref, {
    tracer,
    max: req.max,
    ...(req.kinds === undefined ? {} : { kinds: req.kinds }),
    ...(req.ratePerSec === undefined ? {} : { ratePerSec: req.ratePerSec }),
  });
  // No event can come before this line: events are delivered in the actor's turns, not in this one.
  socket.write(jsonLine({ ok: true, trace: 'started' }));
  wire = new WireTrace(trace, socket, onEnd);
  return wire;
}

/** The `ended` line: the TraceEnd with its unknown values as text. */
function endedLine(end: TraceEnd, stoppedBy: StoppedBy | undefined): object {
  const ended: Record<string, unknown> = { reason: end.reason, events: end.events };
  if ('exitReason' in end) ended['exitReason'] = formatReason(end.exitReason);
  if ('error' in end) ended['error'] = formatReason(end.error);
  return stoppedBy === undefined || end.reason !== 'stopped' ? { ended } : { ended, stoppedBy };
}
