import type { ErrFrame, ParentFrame, WireError } from '../contract/frames.js';

/**
 * Turns anything thrown into the {@link WireError} that crosses the wire: `name`, `message`,
 * `stack` and a string `code` when the error has them. A thrown non-Error (`throw 'x'`) becomes
 * an `Error` whose message says what was thrown. Never throws.
 *
 * @example
 * try { run() } catch (e) { out.push({ t: 'err', id, e: toWireError(e) }) }
 */
export function toWireError(thrown: unknown): WireError {
  if (typeof thrown === 'object' && thrown !== null && 'message' in thrown) {
    const e = thrown as { name?: unknown; message?: unknown; stack?: unknown; code?: unknown };
    const wire: { name: string; message: string; stack?: string; code?: string } = {
      name: typeof e.name === 'string' ? e.name : 'Error',
      message: typeof e.message === 'string' ? e.message : describeThrown(e.message),
    };
    if (typeof e.stack === 'string') wire.stack = e.stack;
    if (typeof e.code === 'string') wire.code = e.code;
    else if (typeof e.code === 'number') wire.code = String(e.code);
    return wire;
  }
  return { name: 'Error', message: `a non-Error value was thrown: ${describeThrown(thrown)}` };
}

function describeThrown(value: unknown): string {
  try {
    return typeof value === 'string' ? JSON.stringify(value) : String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/**
 * The `err` reply a connection answers in the worker's place when request `frame` could not
 * be sent (its argument does not serialize for the transport): the caller gets a
 * WorkerTaskError with code `unserializable_request`. Undefined for any other frame.
 *
 * @example
 * const outbox = new Outbox(write, { onUnsendable: (f, e) => { const r = unsendableReply(f, e); if (r) deliver(r); } });
 */
export function unsendableReply(frame: ParentFrame, error: unknown): ErrFrame | undefined {
  if (frame.t !== 'req') return undefined;
  const cause = toWireError(error);
  return {
    t: 'err',
    id: frame.id,
    e: { name: cause.name, message: `the request could not be sent to the worker (${cause.message}); pass plain data (structured-clone data for threads, JSON data for process workers)`, code: 'unserializable_request' },
  };
}
