import { checkTimeout, InvalidOptionError, type Dump, type TraceEvent, type TraceEventKind } from '@arbor/core';
import { formatEndpoint, parseEndpoint, tokenFilePath, type EndpointAddress } from '../endpoint.js';
import { DumpTimeoutError, EndpointOpError, MalformedDumpError } from '../errors.js';
import { dumpOfAnswer, errorOf, refusalOf, tokenOf } from '../fetchDump.js';
import { CONTROL_ACTIONS } from '../wire.js';
import { RequestChannel } from './RequestChannel.js';
import { startRemoteTrace, type RemoteTrace } from './remoteTrace.js';
import type { ActorDetails, ObserverControl, ObserverSource, SourceTrace } from './source.js';

/** Options of {@link remoteSource}. */
export interface RemoteSourceOptions {
  /**
   * The token of a TCP endpoint. Default, as `fetchDump`: `ARBOR_TOKEN`, else the token
   * file the endpoint wrote (`tokenFilePath(port)`). Not sent to a Unix socket.
   */
  readonly token?: string;
  /** Milliseconds to wait for each answer (default 5000; `Infinity`: no limit). */
  readonly timeout?: number;
}

const DEFAULT_TIMEOUT = 5000;

/**
 * An {@link ObserverSource} that reads a system in another process through its
 * `DebugEndpoint` (a socket path, or `127.0.0.1:<port>`): `dump()` and `actor(id)` and
 * `control(action, id)` go over one connection (opened on the first request, again when
 * it was closed), and each `trace` gets a connection of its own. What `arbor observe`
 * gives `startObserver`. Throws `InvalidEndpointError` / `InvalidOptionError` for bad
 * arguments; the methods reject with `EndpointUnreachableError`, `EndpointTokenError`,
 * `EndpointRefusedError`, `DumpTimeoutError`, `MalformedDumpError` (as `fetchDump` does)
 * or `EndpointOpError` (the endpoint refused that request: `actor_timeout`, `no_actor`,
 * ...; `control` answers those as `{ ok: false, reason }` instead). `close()` drops the
 * connections and ends the traces.
 *
 * @example
 * const source = remoteSource('/tmp/arbor-1000/arbor-shop-4242.sock');
 * const d = await source.dump();
 * const details = await source.actor(d.roots[0]!.id!); // { id, state: '{ ... }', details: { ... } } or null
 * const trace = await source.trace(details!.id, { max: 100 }, (e) => console.log(e.seq, e.kind));
 * trace.stop();
 * await source.close();
 */
export function remoteSource(endpoint: string | EndpointAddress, options?: RemoteSourceOptions): ObserverSource {
  if (options !== undefined && (typeof options !== 'object' || options === null || Array.isArray(options))) {
    throw new InvalidOptionError('options', 'an object { token?, timeout? } or undefined', options);
  }
  const address = typeof endpoint === 'string' ? parseEndpoint(endpoint) : parseEndpoint(formatEndpoint(endpoint));
  const timeout = options?.timeout === undefined ? DEFAULT_TIMEOUT : checkTimeout('options.timeout', options.timeout);
  const token = tokenOf(address, options);
  return new RemoteSource(address, timeout, token);
}

/** The source {@link remoteSource} returns. */
class RemoteSource implements ObserverSource {
  readonly #address: EndpointAddress;
  readonly #label: string;
  readonly #timeout: number;
  readonly #token: string | undefined;
  readonly #tokenFile: string;
  readonly #channel: RequestChannel;
  readonly #traces = new Set<RemoteTrace>();
  #closed = false;

  constructor(address: EndpointAddress, timeout: number, token: string | undefined) {
    this.#address = address;
    this.#label = formatEndpoint(address);
    this.#timeout = timeout;
    this.#token = token;
    this.#tokenFile = 'port' in address ? tokenFilePath(address.port) : '';
    this.#channel = new RequestChannel(address, this.#label);
  }

  async dump(): Promise<Dump> {
    const a = await this.#request({ op: 'dump' }, () => new DumpTimeoutError(this.#label, this.#timeout));
    const d = dumpOfAnswer(this.#label, a, this.#token === undefined, this.#tokenFile);
    if (d instanceof Error) throw d;
    return d;
  }

  async actor(id: string): Promise<ActorDetails | null> {
    checkId(id);
    const a = await this.#request({ op: 'actor', id }, () => this.#timedOut('actor'));
    if (a['ok'] !== true) throw this.#opError('actor', a);
    const actor = a['actor'];
    if (actor === null) return null;
    if (typeof actor !== 'object' || actor === undefined || typeof (actor as ActorDetails).state !== 'string') throw new MalformedDumpError(this.#label, 'the actor answer has no state');
    return actor as ActorDetails;
  }

  async trace(id: string, options: { readonly max: number; readonly kinds?: readonly TraceEventKind[] }, onEvent: (event: TraceEvent) => void): Promise<SourceTrace> {
    checkId(id);
    if (typeof options !== 'object' || options === null) throw new InvalidOptionError('trace: options', 'an object { max, kinds? }', options);
    if (typeof onEvent !== 'function') throw new InvalidOptionError('trace: onEvent', 'a function (event) => void', onEvent);
    if (this.#closed) throw this.#closedError('trace');
    const trace = await startRemoteTrace(
      { address: this.#address, label: this.#label, token: this.#token, tokenFile: this.#tokenFile, timeout: this.#timeout },
      id,
      options,
      onEvent,
    );
    if (this.#closed) {
      await trace.close(); // closed while it started
      throw this.#closedError('trace');
    }
    this.#traces.add(trace);
    void trace.ended.then(() => this.#traces.delete(trace));
    return { ended: trace.ended, stop: () => trace.stop() };
  }

  async control(action: ObserverControl, id: string): Promise<{ readonly ok: true } | { readonly ok: false; readonly reason: string }> {
    if (!CONTROL_ACTIONS.has(action)) throw new InvalidOptionError('control: action', '"kill", "restart", "suspend" or "resume"', action);
    checkId(id);
    const a = await this.#request({ op: 'control', action, id }, () => this.#timedOut('control'));
    if (a['ok'] === true) return { ok: true };
    const refusal = this.#refusal(a);
    if (refusal !== undefined) throw refusal;
    return { ok: false, reason: errorOf(a).message }; // the text localSource gives too
  }

  async close(): Promise<void> {
    this.#closed = true;
    const traces = [...this.#traces];
    this.#traces.clear();
    await Promise.all([this.#channel.close(), ...traces.map((t) => t.close())]);
  }

  #request(request: Record<string, unknown>, timedOut: () => Error): Promise<Record<string, unknown>> {
    if (this.#closed) return Promise.reject(this.#closedError(String(request['op'])));
    return this.#channel.request(this.#token === undefined ? request : { ...request, token: this.#token }, this.#timeout, timedOut);
  }

  #refusal(answer: Record<string, unknown>): Error | undefined {
    return refusalOf(this.#label, answer, this.#token === undefined, this.#tokenFile);
  }

  #opError(op: string, answer: Record<string, unknown>): Error {
    const { code, message } = errorOf(answer);
    return this.#refusal(answer) ?? new EndpointOpError(this.#label, op, code, message);
  }

  #timedOut(op: string): Error {
    return new EndpointOpError(this.#label, op, 'timeout', `no answer within ${this.#timeout} ms; the application may be busy or suspended`);
  }

  #closedError(op: string): Error {
    return new EndpointOpError(this.#label, op, 'closed', 'this source was closed');
  }
}

function checkId(id: unknown): void {
  if (typeof id !== 'string' || id === '') throw new InvalidOptionError('id', "an actor id (a dump node's id)", id);
}
