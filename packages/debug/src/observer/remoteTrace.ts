/**
 * A trace of one actor in another process, over its own connection to the debug
 * endpoint: sends the `trace` request, resolves once the endpoint answers `started`, then
 * hands each `{"event":...}` line to `onEvent` and settles `ended` with the `{"ended":...}`
 * line. `stop()` sends `untrace`; a connection that is lost ends it too (reason `stopped`,
 * with `error` saying so).
 * @internal
 */
import type { TraceEnd, TraceEvent, TraceEventKind } from '@arbor/core';
import { connectTo, type EndpointAddress } from '../endpoint.js';
import { EndpointOpError, EndpointUnreachableError, MalformedDumpError } from '../errors.js';
import { errorOf, refusalOf } from '../fetchDump.js';
import { LineSplitter } from '../wire.js';
import type { SourceTrace } from './source.js';

/** Where and how a remote trace connects. */
export interface RemoteTraceTarget {
  readonly address: EndpointAddress;
  readonly label: string;
  readonly token: string | undefined;
  readonly tokenFile: string;
  /** Milliseconds to wait for the `started` line. */
  readonly timeout: number;
}

/** A remote trace's handle, with `close()` for its source (drops the connection at once). */
export interface RemoteTrace extends SourceTrace {
  close(): Promise<void>;
}

/**
 * Opens a connection and starts the trace; rejects with `EndpointUnreachableError`,
 * `EndpointTokenError`, `EndpointRefusedError`, or `EndpointOpError` (`no_actor`,
 * `invalid_argument`, `timeout`).
 *
 * @example
 * const trace = await startRemoteTrace(target, ref.id, { max: 100 }, (e) => console.log(e.kind));
 * trace.stop();
 */
export function startRemoteTrace(
  target: RemoteTraceTarget,
  id: string,
  options: { readonly max: number; readonly kinds?: readonly TraceEventKind[] },
  onEvent: (event: TraceEvent) => void,
): Promise<RemoteTrace> {
  const { address, label, token } = target;
  const request = { op: 'trace', id, max: options.max, ...(options.kinds === undefined ? {} : { kinds: options.kinds }), ...(token === undefined ? {} : { token }) };
  return new Promise<RemoteTrace>((resolve, reject) => {
    const socket = connectTo(address);
    let started = false;
    let events = 0;
    let listenerFailed = false;
    let endTrace!: (end: TraceEnd) => void;
    const ended = new Promise<TraceEnd>((r) => (endTrace = r));
    const closed = new Promise<void>((r) => socket.once('close', () => r()));
    const timer = target.timeout === Infinity ? undefined : setTimeout(() => fail(new EndpointOpError(label, 'trace', 'timeout', `no answer within ${target.timeout} ms`)), target.timeout);
    const fail = (error: Error): void => {
      if (timer !== undefined) clearTimeout(timer);
      socket.destroy();
      if (started) endTrace({ reason: 'stopped', events, error });
      else reject(error);
    };
    const handle: RemoteTrace = {
      ended,
      stop: () => {
        if (!socket.destroyed) socket.write(`${JSON.stringify(token === undefined ? { op: 'untrace' } : { op: 'untrace', token })}\n`);
      },
      close: async () => {
        socket.destroy();
        await closed;
      },
    };
    socket.once('connect', () => socket.write(`${JSON.stringify(request)}\n`));
    socket.on('error', (e: NodeJS.ErrnoException) => fail(new EndpointUnreachableError(label, e.code ?? 'unknown error')));
    socket.once('close', () => fail(new EndpointUnreachableError(label, 'ECONNRESET')));
    const lines = new LineSplitter();
    socket.on('data', (chunk: Buffer) => {
      for (const line of lines.push(chunk)) {
        let msg: Record<string, unknown>;
        try {
          msg = JSON.parse(line) as Record<string, unknown>;
        } catch {
          fail(new MalformedDumpError(label, 'a trace line is not JSON'));
          return;
        }
        if (!started) {
          if (timer !== undefined) clearTimeout(timer);
          if (msg['ok'] === true && msg['trace'] === 'started') {
            started = true;
            resolve(handle);
            continue;
          }
          const { code, message } = errorOf(msg);
          fail(refusalOf(label, msg, token === undefined, target.tokenFile) ?? new EndpointOpError(label, 'trace', code, message));
          return;
        }
        if (typeof msg['event'] === 'object' && msg['event'] !== null) {
          if (listenerFailed) continue;
          events++;
          try {
            onEvent(msg['event'] as TraceEvent);
          } catch {
            listenerFailed = true; // as a tracer that throws: the trace ends
            handle.stop();
          }
        } else if (typeof msg['ended'] === 'object' && msg['ended'] !== null) {
          endTrace(msg['ended'] as TraceEnd);
          socket.destroy();
          return;
        }
        // other lines (the answer to an untrace that came too late: not_tracing) are not events
      }
    });
  });
}
