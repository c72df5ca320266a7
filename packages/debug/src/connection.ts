/**
 * One client connection of a `DebugEndpoint`: reads request lines with a size cap, keeps
 * at most one request waiting for a dump and a bounded queue behind it (it stops reading
 * beyond that), stops reading while its answers are not being read, closes when idle
 * (only a complete request counts as activity, and a line must complete within a deadline),
 * on TCP closes unless its first line carries the token within a deadline, and closes
 * with one error line when the client breaks the protocol. The ops besides the dump
 * (`actor`, `control`: answered one at a time, in order; `trace`: one streamed trace) run
 * in `ops/`.
 * @internal
 */
import type { Socket } from 'node:net';
import { formatReason } from '@arbor/core';
import { actorAnswer } from './ops/actorOp.js';
import { controlAnswer } from './ops/controlOp.js';
import type { OpContext } from './ops/OpContext.js';
import { startWireTrace, type WireTrace } from './ops/traceOp.js';
import { tokensEqual } from './private.js';
import { errorLine, LineSplitter, parseRequest, tokenOfLine, type AnswerErrorCode, type Request } from './wire.js';

/** Request lines read ahead of the ones being answered; beyond this the socket is paused. */
export const MAX_QUEUED_REQUESTS = 16;
/** Requests of one connection, one right behind the other, that share one dump. */
export const MAX_BATCH = 16;
/** Answer bytes buffered for a client before its requests are no longer read. */
export const WRITE_HIGH_WATER_BYTES = 1024 * 1024;
/** How long a closing connection may take to read its last error line before it is destroyed. */
const CLOSE_GRACE_MS = 1000;
/** The longest a request line may take from its first byte to its newline (or the idle timeout, if shorter). */
export const LINE_DEADLINE_MS = 10_000;
/** TCP: how long a new connection has to send a request that carries the token (or the idle timeout, if shorter). */
export const AUTH_DEADLINE_MS = 5_000;

/** What a connection asks of its endpoint. */
export interface ConnectionHost {
  /** Queues `conn` for the next dump (its `asked` ops); the endpoint answers with `conn.deliver`. */
  want(conn: EndpointConnection): void;
  /**
   * TCP: `conn` just proved it has the token; answers whether it may hold one of the
   * endpoint's connections (if not, the host has refused it).
   */
  admit(conn: EndpointConnection): boolean;
  /** What the `actor`, `trace` and `control` ops run against. */
  readonly opContext: OpContext;
}

/** A dump's answer lines, one per op (only those some waiting client asked for). */
export interface DumpAnswers {
  /** The answer line's bytes in chunks, written in order. */
  readonly dump: readonly Buffer[] | undefined;
  readonly text: readonly Buffer[] | undefined;
}

/** A connection's limits and credential. */
export interface ConnectionRules {
  readonly maxRequestBytes: number;
  readonly idleTimeout: number;
  /** The token every request must carry (TCP), or undefined (Unix socket: its mode guards it). */
  readonly token: string | undefined;
  /** Where a client finds the token, for the `unauthorized` message. */
  readonly tokenHint: string;
}

/**
 * The endpoint's side of one client connection (see the module comment).
 *
 * @example
 * new EndpointConnection(socket, { maxRequestBytes: 65536, idleTimeout: 30000, token: undefined, tokenHint: '' }, endpoint);
 */
export class EndpointConnection {
  readonly #socket: Socket;
  readonly #rules: ConnectionRules;
  readonly #host: ConnectionHost;
  readonly #lines: LineSplitter;
  readonly #queue: string[] = [];
  /** The requests waiting for the next dump, in order (empty: none). */
  #asked: ('dump' | 'text')[] = [];
  #closing = false;
  /** The client ended its side: answer what was asked, then end ours. */
  #ended = false;
  #idle: NodeJS.Timeout | undefined;
  /** Runs while a request line has begun and not ended. */
  #lineTimer: NodeJS.Timeout | undefined;
  /** TCP: runs until the first request with the token. */
  #authTimer: NodeJS.Timeout | undefined;
  /** True on a Unix socket, and on TCP once a request carried the token. */
  #authenticated: boolean;
  /** True while this connection paused its socket (its queue is full or its answers are not read). */
  #paused = false;
  /** True while an `actor` or `control` request is being answered (the next requests wait: answers stay in order). */
  #busy = false;
  /** The trace streamed on this connection (one at most). */
  #trace: WireTrace | undefined;

  constructor(socket: Socket, rules: ConnectionRules, host: ConnectionHost) {
    this.#socket = socket;
    this.#rules = rules;
    this.#host = host;
    this.#lines = new LineSplitter(rules.maxRequestBytes);
    socket.on('data', (chunk: Buffer) => this.#read(chunk));
    socket.on('drain', () => this.#pump());
    socket.on('end', () => this.#end());
    socket.on('close', () => {
      this.#clearTimers();
      this.#trace?.stop('closed');
    });
    this.#authenticated = rules.token === undefined;
    if (!this.#authenticated) {
      const ms = Math.min(AUTH_DEADLINE_MS, rules.idleTimeout);
      this.#authTimer = setTimeout(() => this.#onNoToken(ms), ms);
      this.#authTimer.unref();
    }
    this.#armIdle();
  }

  /** True on a Unix socket; on TCP, once a request carried the token. */
  get authenticated(): boolean {
    return this.#authenticated;
  }

  /** Request lines read and not answered yet (the one waiting for a dump included). */
  get outstanding(): number {
    return this.#queue.length + this.#asked.length + (this.#busy ? 1 : 0);
  }

  /** The ops waiting for the next dump, in order. */
  get asked(): readonly ('dump' | 'text')[] {
    return this.#asked;
  }

  /** False once the connection is closing or closed: its answers are no longer wanted. */
  get open(): boolean {
    return !this.#closing && !this.#socket.destroyed;
  }

  /** Writes the answers to the requests that wait for this dump, then goes on with the next. */
  deliver(answers: DumpAnswers): void {
    const asked = this.#asked;
    this.#asked = [];
    if (!this.open) return;
    this.#socket.cork();
    for (const op of asked) for (const chunk of answers[op]!) this.#socket.write(chunk);
    this.#socket.uncork();
    this.#armIdle();
    this.#pump();
  }

  /** Writes one error line and closes the connection. */
  refuse(code: AnswerErrorCode, message: string): void {
    if (this.#closing) return;
    this.#closing = true;
    this.#queue.length = 0;
    this.#clearTimers();
    closeWithError(this.#socket, code, message);
  }

  /** Drops the connection at once (an unauthenticated one, to make room): one error line, written if the socket takes it now. */
  evict(code: AnswerErrorCode, message: string): void {
    if (this.#closing) return;
    this.#closing = true;
    this.#queue.length = 0;
    this.#clearTimers();
    this.#socket.removeAllListeners('data');
    this.#socket.write(errorLine(code, message));
    this.#socket.destroy();
  }

  #read(chunk: Buffer): void {
    if (this.#closing) return;
    this.#lines.append(chunk);
    this.#pump();
  }

  /**
   * Takes lines from the splitter into the queue while it has room; the rest stay in the
   * splitter (one 64 KiB chunk of requests is not split all at once).
   */
  #fill(): void {
    let requests = 0;
    let lines = 0;
    while (!this.#closing && this.#queue.length < MAX_QUEUED_REQUESTS) {
      const line = this.#lines.nextLine() ?? (this.#ended ? this.#lines.flush() : undefined);
      if (line === undefined) break;
      lines++;
      if (line.trim() === '') continue;
      this.#queue.push(line);
      requests++;
    }
    if (this.#closing) return;
    if (this.#lines.overflow) {
      this.refuse('request_too_large', `a request line is at most ${this.#rules.maxRequestBytes} bytes; send one {"op":"dump"} per line`);
      return;
    }
    // Only a complete request is activity: bytes of a line that never ends do not keep the connection.
    if (requests > 0) this.#armIdle();
    this.#armLine(lines > 0);
  }

  /** Runs the line deadline while a line has begun: restarted when a line ended in this chunk, stopped when none is pending. */
  #armLine(lineEnded: boolean): void {
    if (lineEnded || this.#lines.pendingBytes === 0) {
      if (this.#lineTimer !== undefined) clearTimeout(this.#lineTimer);
      this.#lineTimer = undefined;
    }
    if (this.#lines.pendingBytes === 0 || this.#lineTimer !== undefined || this.#closing) return;
    const ms = Math.min(LINE_DEADLINE_MS, this.#rules.idleTimeout);
    this.#lineTimer = setTimeout(() => this.#onLineDeadline(ms), ms);
    this.#lineTimer.unref();
  }

  #onLineDeadline(ms: number): void {
    this.#lineTimer = undefined;
    if (this.#closing) return;
    // Not the client's fault while this side is not reading: its idle timer decides.
    if (this.#paused || this.#busy || this.#asked.length > 0 || this.#queue.length > 0) {
      this.#armLine(false);
      return;
    }
    this.refuse('idle_timeout', `a request line did not end within ${ms} ms; send each request as one line ending in a newline`);
  }

  #onNoToken(ms: number): void {
    this.#authTimer = undefined;
    if (this.#authenticated || this.#closing) return;
    this.refuse('unauthorized', `no request with the token within ${ms} ms: this TCP endpoint serves only requests that carry its token, {"op":"dump","token":"..."}; ${this.#rules.tokenHint}`);
  }

  #end(): void {
    if (this.#closing) return;
    this.#ended = true; // the bytes after the last newline are one more line (see #fill)
    this.#trace?.stop('ended'); // its ended line is written, then the connection ends (see #pump)
    this.#pump();
  }

  /** Handles queued lines until one waits for a dump, then reads on only while there is room. */
  #pump(): void {
    this.#fill();
    while (!this.#closing && this.#asked.length === 0 && !this.#busy && this.#queue.length > 0 && this.#socket.writableLength <= WRITE_HIGH_WATER_BYTES) {
      const op = this.#nextRequest();
      this.#fill();
      if (op === undefined) continue;
      this.#asked.push(op);
      // The requests right behind it share its dump: a client that pipelines costs one build per batch.
      while (this.#asked.length < MAX_BATCH && this.#queue.length > 0 && isDumpRequest(parseRequest(this.#queue[0]!))) {
        const more = this.#nextRequest();
        this.#fill();
        if (more === undefined) break;
        this.#asked.push(more);
      }
      if (this.#closing) return;
      this.#host.want(this);
    }
    if (this.#closing) return;
    if (this.#ended) {
      if (this.#asked.length === 0 && this.#queue.length === 0 && !this.#busy && this.#trace === undefined) {
        this.#closing = true;
        this.#clearTimers();
        this.#socket.end();
      }
      return;
    }
    const full = this.#queue.length >= MAX_QUEUED_REQUESTS || this.#socket.writableLength > WRITE_HIGH_WATER_BYTES;
    this.#paused = full;
    if (full) this.#socket.pause();
    else this.#socket.resume();
  }

  /** Takes the next queued line: its op if it asks for a dump, else undefined (answered, or the connection refused). */
  #nextRequest(): 'dump' | 'text' | undefined {
    const line = this.#queue.shift()!;
    const req = parseRequest(line);
    if ('ok' in req && (req.ok || req.error.code !== 'unknown_op')) {
      this.refuse('bad_request', req.ok ? 'unexpected line' : req.error.message);
      return undefined;
    }
    // On TCP every request, one with an unknown op too, is checked for the token before it is answered.
    const { token } = this.#rules;
    if (token !== undefined) {
      const got = 'ok' in req ? tokenOfLine(line) : req.token;
      if (!tokensEqual(token, got)) {
        this.refuse('unauthorized', `${got === undefined ? 'no token' : 'wrong token'}: this TCP endpoint serves only requests that carry its token, {"op":"dump","token":"..."}; ${this.#rules.tokenHint}`);
        return undefined;
      }
      if (!this.#authenticated) {
        this.#authenticated = true;
        if (this.#authTimer !== undefined) clearTimeout(this.#authTimer);
        this.#authTimer = undefined;
        if (!this.#host.admit(this)) return undefined;
      }
    }
    if ('ok' in req) {
      this.#socket.write(errorLine(req.error.code, req.error.message)); // a newer client's op: answered, not fatal
      return undefined;
    }
    if (req.op === 'dump' || req.op === 'text') return req.op;
    this.#answer(req as Exclude<Request, { op: 'dump' | 'text' }>);
    return undefined;
  }

  /** Answers a request of the ops in `ops/` (or one with bad arguments: `invalid_argument`, not fatal). */
  #answer(req: Exclude<Request, { op: 'dump' | 'text' }>): void {
    const ctx = this.#host.opContext;
    switch (req.op) {
      case 'invalid':
        this.#socket.write(errorLine('invalid_argument', req.message));
        return;
      case 'actor':
        this.#await(actorAnswer(ctx, req.id));
        return;
      case 'control':
        this.#await(controlAnswer(ctx, req.action, req.id));
        return;
      case 'untrace':
        if (this.#trace === undefined) this.#socket.write(errorLine('not_tracing', 'no trace runs on this connection; start one with {"op":"trace","id":"...","max":100}'));
        else this.#trace.stop('untrace'); // its ended line is the answer
        return;
      case 'trace': {
        if (this.#trace !== undefined) {
          this.#socket.write(errorLine('trace_active', 'a trace already runs on this connection (one per connection); send {"op":"untrace"} first, or open another connection'));
          return;
        }
        const started = startWireTrace(ctx, this.#socket, req, WRITE_HIGH_WATER_BYTES, () => {
          this.#trace = undefined;
          this.#armIdle();
          this.#pump();
        });
        if (typeof started === 'string') this.#socket.write(started);
        else this.#trace = started;
        return;
      }
    }
  }

  /** Waits for an op's answer line (the next requests wait behind it), writes it, then goes on. */
  #await(answer: Promise<string>): void {
    this.#busy = true;
    void answer
      .catch((e: unknown) => errorLine('internal_error', formatReason(e)))
      .then((line) => {
        this.#busy = false;
        if (!this.open) return;
        this.#socket.write(line);
        this.#armIdle();
        this.#pump();
      });
  }

  #armIdle(): void {
    this.#clearIdle();
    const ms = this.#rules.idleTimeout;
    if (ms === Infinity || this.#closing) return;
    this.#idle = setTimeout(() => this.#onIdle(), ms);
    this.#idle.unref();
  }

  #clearIdle(): void {
    if (this.#idle !== undefined) clearTimeout(this.#idle);
    this.#idle = undefined;
  }

  #clearTimers(): void {
    this.#clearIdle();
    for (const timer of [this.#lineTimer, this.#authTimer]) if (timer !== undefined) clearTimeout(timer);
    this.#lineTimer = undefined;
    this.#authTimer = undefined;
  }

  #onIdle(): void {
    if (this.#asked.length > 0 || this.#busy || this.#trace !== undefined) this.#armIdle(); // its dump is being built, its op answered, or its trace streams
    else this.refuse('idle_timeout', `no request or read for ${this.#rules.idleTimeout} ms; reconnect to ask again`);
  }
}

/** True if a parsed request line asks for a dump (so it may share the dump of the request before it). */
function isDumpRequest(req: Request | { readonly ok: boolean }): boolean {
  return 'op' in req && (req.op === 'dump' || req.op === 'text');
}

/**
 * Writes one error line and ends the socket; reads and drops what the client still sends
 * (so the line is not lost to a reset) until the client closes or a short grace ends.
 */
export function closeWithError(socket: Socket, code: AnswerErrorCode, message: string): void {
  socket.removeAllListeners('data');
  socket.on('data', () => {});
  socket.end(errorLine(code, message));
  socket.resume();
  setTimeout(() => socket.destroy(), CLOSE_GRACE_MS).unref();
}
