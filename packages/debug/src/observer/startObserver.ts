import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { formatReason, InvalidOptionError, TRACE_EVENT_KINDS, type TraceEvent, type TraceEventKind } from '@arbor/core';
import { EndpointInUseError, ObserverPageMissingError } from '../errors.js';
import { LOOPBACK } from '../endpoint.js';
import { generateToken } from '../private.js';
import { cookieName, refusalOf } from './access.js';
import type { WireActor } from './protocol.js';
import type { ObserverControl, ObserverSource, SourceTrace } from './source.js';
import { TreeHistory } from './TreeHistory.js';

/** What {@link startObserver} may log to (a winston logger fits). */
export interface ObserverLogger {
  info(message: string, meta?: Record<string, unknown>): unknown;
  warn(message: string, meta?: Record<string, unknown>): unknown;
}

/** Options of {@link startObserver}. */
export interface ObserverOptions {
  /** Let the page kill, restart, suspend and resume actors (each confirmed in the page). Default false. */
  readonly allowControl?: boolean;
  /** The port on 127.0.0.1 (default 0: a free one). */
  readonly port?: number;
  /** Where the URL and sampling problems are logged (default: nowhere). */
  readonly logger?: ObserverLogger;
  /**
   * The shortest time between two samples of the tree while a page is connected, in ms
   * (default 250: at most 4 a second). The interval grows to 20 times what a sample costs,
   * and to at least 1000 ms while no page is connected.
   */
  readonly sampleMs?: number;
}

/** A running observer: its URL (with the token) and how to stop it. */
export interface Observer {
  /** `http://127.0.0.1:<port>/?token=<token>`: open it in a browser on this machine. */
  readonly url: string;
  /** The port it listens on (127.0.0.1). */
  readonly port: number;
  /** Stops the server, its streams, traces and sampling (the source is left open: it is the caller's). Idempotent. */
  close(): Promise<void>;
  /** `close()`, for `await using`. */
  [Symbol.asyncDispose](): Promise<void>;
}

const DEFAULT_SAMPLE_MS = 250;
/** A sample may take at most this share of the time: the interval is at least 20 times its cost. */
const COST_FACTOR = 20;
/** While no page is connected the tree is still sampled (for the history), at most this often. */
const IDLE_SAMPLE_MS = 1000;
/** A page that does not read its stream is sent a fresh snapshot once it caught up, not every diff. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;
const MAX_BODY_BYTES = 4096;
const DEFAULT_TRACE_MAX = 200;
const MAX_TRACE_MAX = 5000;
const HEARTBEAT_MS = 15_000;
const CONTROLS: readonly ObserverControl[] = ['kill', 'restart', 'suspend', 'resume'];

const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
  'cross-origin-resource-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
} as const;

/** The page's files, read once from next to this module (the build copies them there). */
interface PageFiles {
  readonly html: Buffer;
  readonly css: Buffer;
  readonly js: Buffer;
}
let pageFiles: Promise<PageFiles> | undefined;

function loadPage(): Promise<PageFiles> {
  pageFiles ??= (async () => {
    const dir = fileURLToPath(new URL('./page/', import.meta.url));
    const read = (name: string): Promise<Buffer> =>
      readFile(dir + name).catch(() => {
        throw new ObserverPageMissingError(dir, name);
      });
    const [html, css, js] = await Promise.all([read('index.html'), read('style.css'), read('app.js')]);
    return { html, css, js };
  })();
  pageFiles.catch(() => {
    pageFiles = undefined;
  });
  return pageFiles;
}

/** One page reading `/events`. */
interface EventClient {
  readonly res: ServerResponse;
  /** True until it was sent a snapshot (or after it fell behind). */
  needsSnapshot: boolean;
}

/**
 * Serves the observer page for `source` on `http://127.0.0.1:<port>` (a free port by
 * default): the live tree, pools, an actor's details and a live trace, charts of messages/s,
 * mailbox and memory, and a timeline of crashes and restarts. Loopback only; every request
 * needs the random 256-bit token of the printed URL (the page keeps it in an HttpOnly,
 * SameSite=Strict cookie); a Host header other than `127.0.0.1:<port>`/`localhost:<port>`
 * and cross-origin requests are refused; control actions need `allowControl`.
 *
 * @example
 * await using observer = await startObserver(localSource(system), { allowControl: true });
 * console.log(`observer: ${observer.url}`);
 */
export async function startObserver(source: ObserverSource, options?: ObserverOptions): Promise<Observer> {
  const o = checkOptions(source, options);
  const page = await loadPage();
  const server = new ObserverServer(source, o, page);
  await server.listen();
  return server.observer();
}

interface CheckedOptions {
  readonly allowControl: boolean;
  readonly port: number;
  readonly logger: ObserverLogger | undefined;
  readonly sampleMs: number;
}

function checkOptions(source: ObserverSource, options: ObserverOptions | undefined): CheckedOptions {
  if (typeof source !== 'object' || source === null || typeof source.dump !== 'function' || typeof source.trace !== 'function') {
    throw new InvalidOptionError('startObserver: source', 'an ObserverSource (localSource(system) or remoteSource(endpoint))', source);
  }
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw new InvalidOptionError('startObserver: options', 'an object { allowControl?, port?, logger?, sampleMs? } or undefined', options);
  }
  const { allowControl = false, port = 0, logger, sampleMs = DEFAULT_SAMPLE_MS } = options ?? {};
  if (typeof allowControl !== 'boolean') throw new InvalidOptionError('startObserver: options.allowControl', 'true or false', allowControl);
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidOptionError('startObserver: options.port', 'an integer from 0 to 65535 (0 picks a free port)', port);
  if (typeof sampleMs !== 'number' || !Number.isFinite(sampleMs) || sampleMs < 20 || sampleMs > 60_000) throw new InvalidOptionError('startObserver: options.sampleMs', 'milliseconds from 20 to 60000 (default 250)', sampleMs);
  if (logger !== undefined && (typeof logger !== 'object' || logger === null || typeof logger.info !== 'function' || typeof logger.warn !== 'function')) {
    throw new InvalidOptionError('startObserver: options.logger', 'a logger with info() and warn() (a winston logger), or undefined', logger);
  }
  return { allowControl, port, logger, sampleMs };
}

class ObserverServer {
  readonly #source: ObserverSource;
  readonly #o: CheckedOptions;
  readonly #page: PageFiles;
  readonly #token = generateToken();
  readonly #server: Server;
  readonly #history = new TreeHistory();
  readonly #clients = new Set<EventClient>();
  readonly #traces = new Set<SourceTrace>();
  #port = 0;
  #timer: NodeJS.Timeout | undefined;
  #heartbeat: NodeJS.Timeout | undefined;
  #sampling = false;
  #lastSampleAt = 0;
  #intervalMs: number;
  /** How long the last `TreeHistory.apply` took. */
  #applyMs = 0;
  #closing: Promise<void> | undefined;
  #warned = false;

  constructor(source: ObserverSource, o: CheckedOptions, page: PageFiles) {
    this.#source = source;
    this.#o = o;
    this.#page = page;
    this.#intervalMs = o.sampleMs;
    this.#server = createServer((req, res) => this.#handle(req, res));
    this.#server.headersTimeout = 10_000;
    this.#server.requestTimeout = 10_000;
  }

  listen(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const onError = (e: NodeJS.ErrnoException): void => reject(e.code === 'EADDRINUSE' ? new EndpointInUseError(`${LOOPBACK}:${this.#o.port}`) : e);
      this.#server.once('error', onError);
      this.#server.listen(this.#o.port, LOOPBACK, () => {
        this.#server.off('error', onError);
        this.#server.on('error', (e) => this.#o.logger?.warn('observer server error', { report: 'observer', reason: formatReason(e) }));
        this.#server.unref(); // the observer never keeps the application alive on its own
        const bound = this.#server.address();
        this.#port = typeof bound === 'object' && bound !== null ? bound.port : this.#o.port;
        this.#heartbeat = setInterval(() => this.#broadcast(': ping\n\n'), HEARTBEAT_MS).unref();
        void this.#sample();
        resolve();
      });
    });
  }

  observer(): Observer {
    const url = `http://${LOOPBACK}:${this.#port}/?token=${this.#token}`;
    // Logs reach more readers than the page should: the address is logged without its token.
    const address = `http://${LOOPBACK}:${this.#port}/`;
    this.#o.logger?.info(`observer page on ${address} (its URL with the token: observer.url, DebugEndpoint.observerUrl(ref))`, { report: 'observer', address, allowControl: this.#o.allowControl });
    const close = (): Promise<void> => this.#close();
    return { url, port: this.#port, close, [Symbol.asyncDispose]: close };
  }

  // ------------------------------------------------------------------ sampling

  async #sample(): Promise<void> {
    if (this.#closing !== undefined || this.#sampling) return;
    this.#sampling = true;
    this.#timer = undefined;
    const started = performance.now();
    try {
      const dump = await this.#source.dump();
      if (this.#closing !== undefined) return;
      // The cost of a sample: the dump, plus turning it into a diff (as long as the last time).
      const costMs = performance.now() - started + this.#applyMs;
      const floor = this.#clients.size > 0 ? this.#o.sampleMs : Math.max(this.#o.sampleMs, IDLE_SAMPLE_MS);
      this.#intervalMs = Math.max(floor, Math.ceil(COST_FACTOR * costMs));
      const applied = performance.now();
      const diff = this.#history.apply(dump, Date.now(), { intervalMs: this.#intervalMs, sampleMs: costMs });
      this.#applyMs = performance.now() - applied;
      this.#send(diff);
      this.#warned = false;
    } catch (e) {
      if (this.#closing !== undefined) return;
      if (!this.#warned) this.#o.logger?.warn('observer could not read the tree; retrying', { report: 'observer', reason: formatReason(e) });
      this.#warned = true;
      this.#intervalMs = Math.max(this.#intervalMs, IDLE_SAMPLE_MS);
    } finally {
      this.#sampling = false;
      this.#lastSampleAt = performance.now();
      if (this.#closing === undefined) this.#timer = setTimeout(() => void this.#sample(), this.#intervalMs).unref();
    }
  }

  /** Sends the diff to pages up to date, and a snapshot to the others. */
  #send(diff: ReturnType<TreeHistory['apply']>): void {
    let snapshot: string | undefined;
    const diffText = diff === null ? undefined : sse('diff', diff);
    for (const client of this.#clients) {
      if (client.needsSnapshot) {
        if (client.res.writableLength > 0) continue; // still draining: catch up later
        snapshot ??= sse('snapshot', this.#history.snapshot(this.#o.allowControl));
        client.res.write(snapshot);
        client.needsSnapshot = false;
      } else if (diffText !== undefined) {
        if (client.res.writableLength > MAX_BUFFERED_BYTES) client.needsSnapshot = true;
        else client.res.write(diffText);
      }
    }
  }

  #broadcast(text: string): void {
    for (const client of this.#clients) client.res.write(text);
  }

  // ------------------------------------------------------------------ requests

  #handle(req: IncomingMessage, res: ServerResponse): void {
    res.on('error', () => {});
    let url: URL;
    try {
      url = new URL(req.url ?? '/', `http://${LOOPBACK}:${this.#port}`);
    } catch {
      text(res, 400, 'bad request');
      return;
    }
    if (this.#closing !== undefined) {
      text(res, 503, 'the observer is closing');
      return;
    }
    const refusal = refusalOf(req, url, this.#port, this.#token);
    if (refusal !== null) {
      req.resume();
      text(res, refusal.status, refusal.message);
      return;
    }
    const path = url.pathname;
    if (req.method === 'POST' && path === '/control') {
      void this.#control(req, res);
      return;
    }
    const isFile = path === '/' || path === '/index.html' || path === '/style.css' || path === '/app.js';
    if (req.method !== 'GET' && !(req.method === 'HEAD' && isFile)) {
      req.resume();
      text(res, 405, `${req.method ?? '?'} is not served here`);
      return;
    }
    if (path === '/' || path === '/index.html') {
      if (url.searchParams.has('token')) {
        // The token moves into a cookie and out of the address bar (and out of the history).
        res.writeHead(303, {
          ...SECURITY_HEADERS,
          location: '/',
          'set-cookie': `${cookieName(this.#port)}=${this.#token}; HttpOnly; SameSite=Strict; Path=/`,
        });
        res.end();
        return;
      }
      file(res, 'text/html; charset=utf-8', this.#page.html);
    } else if (path === '/style.css') file(res, 'text/css; charset=utf-8', this.#page.css);
    else if (path === '/app.js') file(res, 'text/javascript; charset=utf-8', this.#page.js);
    else if (path === '/events') this.#events(req, res);
    else if (path.startsWith('/actor/') || path.startsWith('/trace/')) {
      const id = decoded(path.slice('/actor/'.length));
      if (id === undefined || id === '') text(res, 400, 'the path must end with an actor id');
      else if (path.startsWith('/actor/')) void this.#actor(res, id);
      else void this.#trace(req, res, url, id);
    } else text(res, 404, `no such page: ${path}`);
  }

  #events(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'text/event-stream; charset=utf-8', connection: 'keep-alive' });
    res.write(': arbor observer\n\n');
    const client: EventClient = { res, needsSnapshot: true };
    this.#clients.add(client);
    req.on('close', () => this.#clients.delete(client));
    res.on('drain', () => {
      if (client.needsSnapshot && this.#history.ready && res.writableLength === 0) {
        res.write(sse('snapshot', this.#history.snapshot(this.#o.allowControl)));
        client.needsSnapshot = false;
      }
    });
    if (this.#history.ready) {
      res.write(sse('snapshot', this.#history.snapshot(this.#o.allowControl)));
      client.needsSnapshot = false;
    }
    // A page just connected: sample soon rather than at the idle pace.
    if (!this.#sampling && this.#timer !== undefined && performance.now() - this.#lastSampleAt >= this.#o.sampleMs) {
      clearTimeout(this.#timer);
      void this.#sample();
    }
  }

  async #actor(res: ServerResponse, id: string): Promise<void> {
    try {
      const details = await this.#source.actor(id);
      if (details === null) {
        json(res, 404, { ok: false, reason: `no live actor has id ${id}` });
        return;
      }
      const answer: WireActor = { ...this.#history.actor(id), state: details.state, details: details.details };
      json(res, 200, answer);
    } catch (e) {
      json(res, 500, { ok: false, reason: formatReason(e) });
    }
  }

  async #trace(req: IncomingMessage, res: ServerResponse, url: URL, id: string): Promise<void> {
    const max = Number(url.searchParams.get('max') ?? DEFAULT_TRACE_MAX);
    if (!Number.isInteger(max) || max < 1 || max > MAX_TRACE_MAX) {
      json(res, 400, { ok: false, reason: `max must be an integer from 1 to ${MAX_TRACE_MAX}` });
      return;
    }
    const kindsParam = url.searchParams.get('kinds');
    const kinds = kindsParam === null ? undefined : (kindsParam.split(',') as TraceEventKind[]);
    if (kinds !== undefined && !kinds.every((k) => (TRACE_EVENT_KINDS as readonly string[]).includes(k))) {
      json(res, 400, { ok: false, reason: `kinds must be a comma-separated list of ${TRACE_EVENT_KINDS.join(', ')}` });
      return;
    }
    let closed = false;
    req.on('close', () => {
      closed = true;
    });
    // Events that come before the stream's head is written wait here.
    let pending: string[] | undefined = [];
    let trace: SourceTrace;
    try {
      trace = await this.#source.trace(id, { max, ...(kinds === undefined ? {} : { kinds }) }, (event) => {
        if (closed) return;
        const line = sse('trace', wireEvent(event));
        if (pending === undefined) res.write(line);
        else pending.push(line);
      });
    } catch (e) {
      json(res, 404, { ok: false, reason: formatReason(e) });
      return;
    }
    this.#traces.add(trace);
    if (closed) trace.stop();
    else {
      res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'text/event-stream; charset=utf-8', connection: 'keep-alive' });
      res.write(`: trace started\n\n${pending.join('')}`);
      req.on('close', () => trace.stop());
    }
    pending = undefined;
    const end = await trace.ended;
    this.#traces.delete(trace);
    if (!closed && !res.writableEnded) {
      res.write(sse('end', { reason: end.reason, events: end.events, ...(end.exitReason === undefined ? {} : { exitReason: formatReason(end.exitReason) }) }));
      res.end();
    }
  }

  async #control(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!this.#o.allowControl) {
      req.resume();
      json(res, 403, { ok: false, reason: 'control actions are off: restart the observer with --allow-control (arbor observe --allow-control, or allowControl: true)' });
      return;
    }
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
      req.resume();
      json(res, 415, { ok: false, reason: 'send the control request as JSON (content-type: application/json)' });
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(await readBody(req));
    } catch (e) {
      json(res, 400, { ok: false, reason: `the body must be JSON { action, id } of at most ${MAX_BODY_BYTES} bytes (${formatReason(e)})` });
      return;
    }
    const { action, id } = (typeof body === 'object' && body !== null ? body : {}) as { action?: unknown; id?: unknown };
    if (typeof action !== 'string' || !CONTROLS.includes(action as ObserverControl) || typeof id !== 'string' || id === '') {
      json(res, 400, { ok: false, reason: `the body must be { action: ${CONTROLS.map((c) => `'${c}'`).join(' | ')}, id: '<actor id>' }` });
      return;
    }
    try {
      const r = await this.#source.control(action as ObserverControl, id);
      this.#o.logger?.info(`observer control: ${action} ${id}: ${r.ok ? 'ok' : r.reason}`, { report: 'observer_control', action, id, ok: r.ok });
      json(res, r.ok ? 200 : 409, r);
      // Show the effect soon.
      if (!this.#sampling && this.#timer !== undefined) {
        clearTimeout(this.#timer);
        this.#timer = setTimeout(() => void this.#sample(), 50).unref();
      }
    } catch (e) {
      json(res, 500, { ok: false, reason: formatReason(e) });
    }
  }

  #close(): Promise<void> {
    this.#closing ??= new Promise<void>((resolve) => {
      if (this.#timer !== undefined) clearTimeout(this.#timer);
      if (this.#heartbeat !== undefined) clearInterval(this.#heartbeat);
      for (const trace of this.#traces) trace.stop();
      for (const client of this.#clients) client.res.end();
      this.#clients.clear();
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
    return this.#closing;
  }
}

/** A trace event as JSON: an exit reason becomes its `formatReason` text. */
function wireEvent(event: TraceEvent): unknown {
  return event.kind === 'exited' ? { ...event, reason: formatReason(event.reason) } : event;
}

/** `decodeURIComponent`, or undefined for a malformed escape. */
function decoded(part: string): string | undefined {
  try {
    return decodeURIComponent(part);
  } catch {
    return undefined;
  }
}

function sse(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

function text(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8' });
  res.end(`${message}\n`);
}

function json(res: ServerResponse, status: number, value: unknown): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(value));
}

function file(res: ServerResponse, type: string, body: Buffer): void {
  res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': type, 'content-length': body.length });
  res.end(body);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('body too large'));
        req.destroy();
        return;
      }
      parts.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}
