/**
 * One connection to a debug endpoint that carries requests one after the other: each
 * request line is written at once (pipelined) and its answer is the next line that comes
 * back (the endpoint answers in order). It connects on the first request and again after
 * the connection was closed. A request that gets no answer in time rejects, and so do the
 * ones behind it, and the connection is dropped (a late answer would be read as the next
 * request's).
 * @internal
 */
import type { Socket } from 'node:net';
import { connectTo, type EndpointAddress } from '../endpoint.js';
import { EndpointUnreachableError, MalformedDumpError } from '../errors.js';
import { closesConnection } from '../fetchDump.js';
import { LineSplitter } from '../wire.js';

/** A request waiting for its answer line. */
interface Pending {
  readonly resolve: (answer: Record<string, unknown>) => void;
  readonly reject: (error: Error) => void;
  /** The error to reject with when no answer came in time. */
  readonly timedOut: () => Error;
  readonly timer: NodeJS.Timeout | undefined;
}

/**
 * Requests to one endpoint over one connection (see the module comment).
 *
 * @example
 * const channel = new RequestChannel({ path: '/tmp/arbor-1000/arbor-shop-4242.sock' }, '/tmp/arbor-1000/arbor-shop-4242.sock');
 * const answer = await channel.request({ op: 'dump' }, 5000, () => new DumpTimeoutError(label, 5000));
 */
export class RequestChannel {
  readonly #address: EndpointAddress;
  readonly #label: string;
  #socket: Socket | undefined;
  #pending: Pending[] = [];
  #closed = false;

  constructor(address: EndpointAddress, label: string) {
    this.#address = address;
    this.#label = label;
  }

  /** Sends `request` as one line and resolves with its answer line, parsed (an object). */
  request(request: object, timeout: number, timedOut: () => Error): Promise<Record<string, unknown>> {
    if (this.#closed) return Promise.reject(new EndpointUnreachableError(this.#label, 'ECONNRESET'));
    return new Promise((resolve, reject) => {
      const timer = timeout === Infinity ? undefined : setTimeout(() => this.#timeOut(), timeout);
      this.#pending.push({ resolve, reject, timedOut, timer });
      this.#open().write(`${JSON.stringify(request)}\n`);
    });
  }

  /** Drops the connection; requests still waiting reject with `EndpointUnreachableError`. */
  close(): Promise<void> {
    this.#closed = true;
    const socket = this.#socket;
    this.#drop((p) => p.reject(new EndpointUnreachableError(this.#label, 'ECONNRESET')));
    if (socket === undefined || socket.closed) return Promise.resolve();
    return new Promise((resolve) => socket.once('close', () => resolve()));
  }

  #open(): Socket {
    if (this.#socket !== undefined) return this.#socket;
    const socket = connectTo(this.#address);
    this.#socket = socket;
    const lines = new LineSplitter();
    socket.on('data', (chunk: Buffer) => {
      for (const line of lines.push(chunk)) this.#answer(socket, line);
    });
    socket.on('error', (e: NodeJS.ErrnoException) => {
      if (this.#socket !== socket) return;
      const errno = e.code ?? 'unknown error';
      this.#drop((p) => p.reject(new EndpointUnreachableError(this.#label, errno)));
    });
    socket.once('close', () => {
      if (this.#socket !== socket) return;
      this.#drop((p) => p.reject(new EndpointUnreachableError(this.#label, 'ECONNRESET')));
    });
    return socket;
  }

  #answer(socket: Socket, line: string): void {
    if (this.#socket !== socket) return;
    let answer: unknown;
    try {
      answer = JSON.parse(line);
    } catch {
      this.#drop((p) => p.reject(new MalformedDumpError(this.#label, 'the answer is not JSON')));
      return;
    }
    if (typeof answer !== 'object' || answer === null || Array.isArray(answer)) {
      this.#drop((p) => p.reject(new MalformedDumpError(this.#label, 'the answer is not an object')));
      return;
    }
    const a = answer as Record<string, unknown>;
    if (closesConnection(a) || this.#pending.length === 0) {
      // The endpoint closes the connection after this line (or said so unasked, as idle_timeout):
      // every request still on it gets the same answer, and the next one opens a new connection.
      this.#drop((p) => p.resolve(a));
      return;
    }
    const p = this.#pending.shift()!;
    if (p.timer !== undefined) clearTimeout(p.timer);
    p.resolve(a);
  }

  #timeOut(): void {
    this.#drop((p) => p.reject(p.timedOut()));
  }

  /** Forgets the connection and settles every waiting request with `settle`. */
  #drop(settle: (p: Pending) => void): void {
    const pending = this.#pending;
    this.#pending = [];
    const socket = this.#socket;
    this.#socket = undefined;
    socket?.destroy();
    for (const p of pending) {
      if (p.timer !== undefined) clearTimeout(p.timer);
      settle(p);
    }
  }
}
