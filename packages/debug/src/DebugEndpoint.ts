import { lstat, unlink } from 'node:fs/promises';
import type { Server, Socket } from 'node:net';
import { dirname } from 'node:path';
import {
  ActorSystem,
  call,
  checkTimeout,
  childSpec,
  dumpSteps,
  formatReason,
  GenServer,
  InvalidOptionError,
  type ActorRef,
  type Call,
  type ChildSpec,
  type ChildSpecOverrides,
  type ExitReason,
  type SpawnOptions,
  type StatusDetails,
  type SystemInfo,
} from '@arbor/core';
import { closeWithError, EndpointConnection, type ConnectionHost, type ConnectionRules, type DumpAnswers } from './connection.js';
import { defaultEndpointDir, defaultEndpointPath, formatEndpoint, LOOPBACK, tokenFilePath, type EndpointAddress } from './endpoint.js';
import { PublicHostError } from './errors.js';
import { BIND_DIR_EXTRA_BYTES, listenLocal } from './listen.js';
import { ensurePrivateDir, generateToken, removeTokenFile, writeTokenFile } from './private.js';
import type { OpContext } from './ops/OpContext.js';
import { localSource } from './observer/localSource.js';
import type { ObserverSource } from './observer/source.js';
import { startObserver, type Observer } from './observer/startObserver.js';
import { dumpAnswer, inSlices, SlicesStopped, textAnswer } from './slices.js';
import { errorLine, MAX_REQUEST_BYTES } from './wire.js';

/** Where a {@link DebugEndpoint} listens, who may read it, and its limits. Give `path` or `port`, or neither for the default socket. */
export interface DebugEndpointOptions {
  /**
   * A Unix socket path (default: `arbor-<system>-<pid>.sock` in the 0700 directory
   * `/tmp/arbor-<uid>`, see `defaultEndpointPath`). The socket is made 0600 whatever the
   * umask; the directory you choose decides who can reach it too.
   */
  readonly path?: string;
  /** Listen on TCP `127.0.0.1:<port>` instead of a socket; 0 picks a free port (ask it with `{ type: 'endpoint' }`). */
  readonly port?: number;
  /** Only `'127.0.0.1'`: any other host is refused with `PublicHostError`. */
  readonly host?: typeof LOOPBACK;
  /**
   * TCP only: the token every request must carry (at least 16 characters). Default: a
   * random one, written to `tokenFilePath(port)` (mode 0600) where `fetchDump` and
   * `arbor dump` find it; a token you pass is not written anywhere.
   */
  readonly token?: string;
  /**
   * Connections served at once (default 32); one more is answered `too_many_connections` and closed.
   * On TCP this counts connections that sent the token; as many more may wait (5 s at most) to send it.
   */
  readonly maxConnections?: number;
  /** Milliseconds a connection may stay without a complete request before it is closed (default 30000; Infinity: never). */
  readonly idleTimeout?: number;
  /** The longest request line in bytes (default 65536); a longer one closes the connection. */
  readonly maxRequestBytes?: number;
  /**
   * Also serve the observer page (`startObserver(localSource(system))`) on 127.0.0.1:
   * `true` for a free port, or `{ port?, allowControl? }`. Its URL (with its token) is answered
   * by `DebugEndpoint.observerUrl(ref)` (the log shows the address only); it stops with the endpoint.
   */
  readonly http?: boolean | DebugEndpointHttpOptions;
}

/** The observer page a {@link DebugEndpoint} serves with `{ http: { ... } }`. */
export interface DebugEndpointHttpOptions {
  /** The port on 127.0.0.1 (default 0: a free one). */
  readonly port?: number;
  /** Let the page kill, restart, suspend and resume actors (default false). */
  readonly allowControl?: boolean;
}

/** What a {@link DebugEndpoint} answers. */
export interface DebugEndpointProtocol {
  /** The endpoint it listens on, as `fetchDump` and `arbor dump --endpoint` take it. */
  call: Call<'endpoint', string> | Call<'observerUrl', string | null>;
}

/** A {@link DebugEndpoint}'s state. */
export interface DebugEndpointState {
  /** The endpoint it listens on (a socket path, or `127.0.0.1:<port>`). */
  readonly endpoint: string;
}

/** The info message that makes the endpoint build one dump for every client waiting. */
class BuildDump {}

/** The endpoint's settings, read from its options. */
interface Settings {
  readonly address: EndpointAddress;
  readonly token: string | undefined;
  readonly maxConnections: number;
  readonly idleTimeout: number;
  readonly maxRequestBytes: number;
  readonly http: DebugEndpointHttpOptions | undefined;
}

/** The longest Unix socket path the OS accepts (longer ones are silently cut by the kernel). */
const MAX_SOCKET_PATH_BYTES = process.platform === 'darwin' ? 103 : 107;
const DEFAULT_MAX_CONNECTIONS = 32;
const DEFAULT_IDLE_TIMEOUT_MS = 30_000;
/** Connections over the cap that are still answered with an error line; beyond, the OS-level accept closes them at once. */
const REFUSED_SLACK = 8;

/**
 * An actor that serves the dump of its system on a local endpoint: a Unix socket
 * (default, mode 0600 in a 0700 directory) or TCP on 127.0.0.1 with a token, never a
 * public interface. Add it to the application's tree like any child; it stops listening
 * and removes its socket (and token) file when it stops.
 * Requests are newline-delimited JSON: `{"op":"dump"}` answers
 * `{"ok":true,"dump":<Dump>}` and `{"op":"text"}` answers `{"ok":true,"text":"..."}`;
 * the observer's ops `actor`, `trace` / `untrace` and `control` are in `ops/` (see
 * docs/debugging.md, "The protocol").
 * Read it with `fetchDump(endpoint)`, `remoteSource(endpoint)`, `npx arbor dump` or `npx arbor observe`.
 *
 * One dump is built at a time, in slices that give the event loop a turn, and shared by
 * every client waiting for it (and by up to 16 requests in a row of one client). Connections, request size, requests read ahead and idle
 * time are capped (see {@link DebugEndpointOptions}); a client that does not read its
 * answers is not read from either.
 *
 * A socket file left by a process that crashed is replaced; a socket another process
 * listens on fails the start with `EndpointInUseError`.
 *
 * @example
 * const debug = await system.spawn(DebugEndpoint, {}); // /tmp/arbor-<uid>/arbor-<system>-<pid>.sock
 * await system.call(debug, { type: 'endpoint' });
 * // or on TCP: system.spawn(DebugEndpoint, { port: 9900 }) -> 127.0.0.1:9900, token in tokenFilePath(9900)
 */
export class DebugEndpoint extends GenServer<DebugEndpointProtocol, DebugEndpointState, DebugEndpointOptions | undefined> implements ConnectionHost {
  #server: Server | undefined;
  readonly #connections = new Map<Socket, EndpointConnection>();
  #path: string | undefined;
  #inode: number | undefined;
  #tokenFile: { readonly file: string; readonly token: string } | undefined;
  #closing: Promise<void> | undefined;
  #settings: Settings | undefined;
  #rules: ConnectionRules | undefined;
  /** Clients waiting for the next dump. */
  #waiting: EndpointConnection[] = [];
  /** True while a BuildDump is in the mailbox or being handled. */
  #buildScheduled = false;
  #builds = 0;
  #opContext: OpContext | undefined;
  #observer: Observer | undefined;
  #observerSource: ObserverSource | undefined;

  override async init(options: DebugEndpointOptions | undefined): Promise<void> {
    const settings = settingsOf(options, this.system.name);
    this.#settings = settings;
    const { address } = settings;
    // Trapping exits makes the parent's exit run `terminate`; a kill is caught by the monitor below.
    this.trapExit(true);
    this.system.monitor(this.self, () => void this.#close());
    if ('path' in address && options?.path === undefined) await ensurePrivateDir(dirname(address.path));
    const server = await listenLocal(address, (socket) => this.#accept(socket));
    this.#server = server;
    // On TCP as many connections again may wait to prove the token (see #accept).
    server.maxConnections = ('path' in address ? 1 : 2) * settings.maxConnections + REFUSED_SLACK;
    server.unref(); // serving the dump never keeps the application alive on its own
    server.on('error', (e) => this.logger.warn('debug endpoint server error', { report: 'debug_endpoint', reason: formatReason(e) }));
    if (this.#closing !== undefined) {
      server.close(); // killed while binding
      return;
    }
    if ('path' in address) {
      this.#path = address.path;
      this.#inode = (await lstat(address.path)).ino;
      this.state = { endpoint: address.path };
      this.#rules = { ...limitsOf(settings), token: undefined, tokenHint: '' };
      await this.#startObserver(settings.http);
      return;
    }
    const bound = server.address();
    const port = typeof bound === 'object' && bound !== null ? bound.port : address.port;
    this.state = { endpoint: formatEndpoint({ host: LOOPBACK, port }) };
    let token = settings.token;
    let tokenHint = 'the application passed it as the DebugEndpoint option { token }';
    if (token === undefined) {
      token = generateToken();
      const dir = defaultEndpointDir();
      await ensurePrivateDir(dir);
      const file = tokenFilePath(port, dir);
      await writeTokenFile(file, token);
      this.#tokenFile = { file, token };
      tokenHint = `it is in ${file}, readable only by the application's user`;
      if (this.#closing !== undefined) await removeTokenFile(file, token);
    }
    this.#rules = { ...limitsOf(settings), token, tokenHint };
    await this.#startObserver(settings.http);
  }

  /** With `{ http }`: serves the observer page on the local source; a failure fails the start (init). */
  async #startObserver(http: DebugEndpointHttpOptions | undefined): Promise<void> {
    if (http === undefined || this.#closing !== undefined) return;
    const source = localSource(this.system);
    this.#observerSource = source;
    this.#observer = await startObserver(source, { port: http.port ?? 0, allowControl: http.allowControl ?? false, logger: this.logger });
    if (this.#closing !== undefined) await this.#observer.close();
  }

  override handleCall(req: DebugEndpointProtocol['call']): string | null {
    if (req.type === 'observerUrl') return this.#observer?.url ?? null;
    return this.state.endpoint;
  }

  override async handleInfo(msg: SystemInfo | BuildDump): Promise<void> {
    if (msg instanceof BuildDump) {
      await this.#build();
      return;
    }
    // Exit signals other than the parent's (links, exit(ref, reason)): act as an actor that does not trap them.
    if (msg.type === 'EXIT' && msg.reason !== 'normal') this.stop(msg.reason);
  }

  /** The endpoint's load, shown by `getStatus` and in the dump: connections, requests read and not answered, clients waiting for the next dump, dumps built. */
  override formatStatus(): StatusDetails {
    let queued = 0;
    for (const conn of this.#connections.values()) queued += conn.outstanding;
    const status: Record<string, number | string> = { connections: this.#connections.size, queued, waiting: this.#waiting.length, builds: this.#builds };
    // The page's address without its token (the dump is readable wherever the endpoint is): the token is in observerUrl(ref).
    if (this.#observer !== undefined) status['observer'] = `http://${LOOPBACK}:${this.#observer.port}/`;
    return status;
  }

  override async terminate(_reason: ExitReason): Promise<void> {
    await this.#close();
  }

  // ------------------------------------------------------------------ client

  /**
   * Spawns an endpoint (linked to nothing) and resolves with its ref once it listens.
   * Rejects like `spawn`: `InitError` wrapping `InvalidOptionError`, `PublicHostError` or
   * `EndpointInUseError`. The same as `system.spawn(DebugEndpoint, options)`.
   *
   * @example
   * const debug = await DebugEndpoint.start(system, { port: 0 });
   * await DebugEndpoint.endpoint(debug); // '127.0.0.1:<port>'
   */
  static async start(system: ActorSystem, options?: DebugEndpointOptions, spawnOptions?: SpawnOptions<DebugEndpointProtocol>): Promise<ActorRef<DebugEndpointProtocol>> {
    if (!(system instanceof ActorSystem)) throw new InvalidOptionError('DebugEndpoint.start: system', 'an ActorSystem (createSystem())', system);
    return system.spawn(DebugEndpoint, options, spawnOptions);
  }

  /**
   * The child spec of an endpoint in the application's tree (id `DebugEndpoint`); what
   * `childSpec(DebugEndpoint, options)` gives too.
   *
   * @example
   * await startApplication({ strategy: 'one_for_one', children: [DebugEndpoint.childSpec({}, { options: { name: 'debug' } })] });
   */
  static childSpec(options?: DebugEndpointOptions, overrides?: ChildSpecOverrides<DebugEndpoint>): ChildSpec<DebugEndpoint> {
    // core's childSpec asks this method for the base spec (one argument), then applies the overrides.
    if (overrides !== undefined) return childSpec(DebugEndpoint, options, overrides);
    return { id: 'DebugEndpoint', start: { behaviour: DebugEndpoint, arg: options } };
  }

  /**
   * The endpoint a running `DebugEndpoint` listens on, as `fetchDump` and `arbor dump
   * --endpoint` take it (a socket path, or `127.0.0.1:<port>`).
   *
   * @example
   * const dump = await fetchDump(await DebugEndpoint.endpoint(debug));
   */
  static endpoint(ref: ActorRef<DebugEndpointProtocol>): Promise<string> {
    return call(ref, { type: 'endpoint' });
  }

  /**
   * The observer page's URL (`http://127.0.0.1:<port>/?token=...`) of an endpoint started
   * with `{ http }`, or null without it.
   *
   * @example
   * const debug = await DebugEndpoint.start(system, { http: true });
   * console.log(await DebugEndpoint.observerUrl(debug)); // open it in a browser on this machine
   */
  static observerUrl(ref: ActorRef<DebugEndpointProtocol>): Promise<string | null> {
    return call(ref, { type: 'observerUrl' });
  }

  /** @internal What the `actor`, `trace` and `control` ops of its connections run against. */
  get opContext(): OpContext {
    return (this.#opContext ??= { system: this.system, self: this.self as ActorRef, closing: () => this.#closing !== undefined });
  }

  /** @internal Queues a client for the next dump (called by its connection). */
  want(conn: EndpointConnection): void {
    this.#waiting.push(conn);
    this.#scheduleBuild();
  }

  #scheduleBuild(): void {
    if (this.#buildScheduled || this.#waiting.length === 0 || this.#closing !== undefined) return;
    this.#buildScheduled = true;
    this.system.send(this.self as ActorRef, new BuildDump());
  }

  /** Builds one dump for every client waiting now; clients that ask meanwhile wait for the next. Never throws. */
  async #build(): Promise<void> {
    const waiters = this.#waiting.filter((conn) => conn.open);
    this.#waiting = [];
    try {
      if (waiters.length === 0) return;
      this.#builds++;
      const stopped = (): boolean => this.#closing !== undefined;
      let answers: DumpAnswers;
      try {
        const d = await inSlices(dumpSteps(this.system), stopped);
        answers = {
          dump: waiters.some((conn) => conn.asked.includes('dump')) ? await inSlices(dumpAnswer(d), stopped) : undefined,
          text: waiters.some((conn) => conn.asked.includes('text')) ? await inSlices(textAnswer(d), stopped) : undefined,
        };
      } catch (e) {
        if (e instanceof SlicesStopped) return;
        const failed = [Buffer.from(errorLine('internal_error', formatReason(e)))];
        answers = { dump: failed, text: failed };
      }
      for (const conn of waiters) conn.deliver(answers);
    } finally {
      this.#buildScheduled = false;
      this.#scheduleBuild();
    }
  }

  #accept(socket: Socket): void {
    socket.unref();
    socket.on('error', () => socket.destroy());
    const rules = this.#rules;
    if (this.#closing !== undefined || rules === undefined) {
      socket.destroy();
      return;
    }
    const max = this.#settings!.maxConnections;
    if (rules.token === undefined) {
      if (this.#connections.size >= max) {
        closeWithError(socket, 'too_many_connections', tooManyMessage(max));
        return;
      }
    } else {
      // TCP: a connection that has not shown the token holds no place among the `max`; as many
      // may wait for their first request, and a new one makes room by dropping the oldest.
      const unproven = [...this.#connections.values()].filter((conn) => conn.open && !conn.authenticated);
      if (unproven.length >= max) unproven[0]!.evict('too_many_connections', `dropped for a newer connection: ${max} connections at once may wait to send a request with the token; send it at once`);
    }
    this.#connections.set(socket, new EndpointConnection(socket, rules, this));
    socket.on('close', () => this.#connections.delete(socket));
  }

  /** @internal TCP: `conn` showed the token; it takes one of the `maxConnections` places, or is refused if none is free. */
  admit(conn: EndpointConnection): boolean {
    const max = this.#settings!.maxConnections;
    let held = 0;
    for (const other of this.#connections.values()) if (other !== conn && other.open && other.authenticated) held++;
    if (held < max) return true;
    conn.refuse('too_many_connections', tooManyMessage(max));
    return false;
  }

  /** Stops listening, drops the connections and removes the socket and token files. Idempotent. */
  #close(): Promise<void> {
    this.#closing ??= new Promise<void>((resolve) => {
      for (const socket of this.#connections.keys()) socket.destroy();
      this.#connections.clear();
      this.#waiting = [];
      const server = this.#server;
      if (server === undefined || !server.listening) {
        resolve();
        return;
      }
      server.close(() => resolve());
    }).then(async () => {
      await this.#observer?.close();
      await this.#observerSource?.close();
      await this.#removeSocketFile();
      if (this.#tokenFile !== undefined) await removeTokenFile(this.#tokenFile.file, this.#tokenFile.token);
    });
    return this.#closing;
  }

  /** Node removes the socket file on close; this makes sure, without touching a newer socket at the same path. */
  async #removeSocketFile(): Promise<void> {
    const path = this.#path;
    if (path === undefined) return;
    try {
      if ((await lstat(path)).ino === this.#inode) await unlink(path);
    } catch {
      // already gone
    }
  }
}

function tooManyMessage(max: number): string {
  return `this endpoint serves at most ${max} connections at once (DebugEndpoint option maxConnections); retry later`;
}

function limitsOf(settings: Settings): Pick<ConnectionRules, 'maxRequestBytes' | 'idleTimeout'> {
  return { maxRequestBytes: settings.maxRequestBytes, idleTimeout: settings.idleTimeout };
}

/** Reads and checks the options: a socket path or a port on 127.0.0.1, the token and the limits. */
function settingsOf(options: DebugEndpointOptions | undefined, systemName: string): Settings {
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw new InvalidOptionError('options', 'an object { path } or { port } or undefined', options);
  }
  const o = options ?? {};
  const address = addressOf(o, systemName);
  if (o.token !== undefined) {
    if ('path' in address) throw new InvalidOptionError('options.token', 'left out on a Unix socket (its 0600 mode decides who reads it); a token applies to { port } only', o.token);
    if (typeof o.token !== 'string' || o.token.length < 16 || /\s/.test(o.token)) {
      throw new InvalidOptionError('options.token', 'a string of at least 16 characters without spaces (or leave it out for a random one)', o.token);
    }
  }
  return {
    address,
    token: o.token,
    maxConnections: positiveInteger('options.maxConnections', o.maxConnections, DEFAULT_MAX_CONNECTIONS),
    maxRequestBytes: positiveInteger('options.maxRequestBytes', o.maxRequestBytes, MAX_REQUEST_BYTES),
    idleTimeout: idleTimeoutOf(o.idleTimeout),
    http: httpOf(o.http),
  };
}

function httpOf(value: unknown): DebugEndpointHttpOptions | undefined {
  if (value === undefined || value === false) return undefined;
  if (value === true) return {};
  const hint = 'true, false, or { port?, allowControl? } (the observer page on 127.0.0.1)';
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InvalidOptionError('options.http', hint, value);
  const { port, allowControl, ...rest } = value as DebugEndpointHttpOptions;
  if (Object.keys(rest).length > 0) throw new InvalidOptionError('options.http', hint, value);
  if (port !== undefined && (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535)) {
    throw new InvalidOptionError('options.http.port', 'an integer from 0 to 65535 (0 picks a free port)', port);
  }
  if (allowControl !== undefined && typeof allowControl !== 'boolean') throw new InvalidOptionError('options.http.allowControl', 'true or false', allowControl);
  return { ...(port === undefined ? {} : { port }), ...(allowControl === undefined ? {} : { allowControl }) };
}

function positiveInteger(option: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) throw new InvalidOptionError(option, `an integer >= 1 (default ${fallback})`, value);
  return value;
}

function idleTimeoutOf(value: unknown): number {
  if (value === undefined) return DEFAULT_IDLE_TIMEOUT_MS;
  return checkTimeout('options.idleTimeout', value, { integer: true, min: 1, note: `default ${DEFAULT_IDLE_TIMEOUT_MS}` });
}

function addressOf(options: DebugEndpointOptions, systemName: string): EndpointAddress {
  const { path, port, host } = options;
  if (host !== undefined && host !== LOOPBACK) throw new PublicHostError(host);
  if (path !== undefined && port !== undefined) throw new InvalidOptionError('options', 'either { path } or { port }, not both', options);
  if (port !== undefined) {
    if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535) {
      throw new InvalidOptionError('options.port', 'an integer from 0 to 65535 (0 picks a free port)', port);
    }
    return { host: LOOPBACK, port };
  }
  if (host !== undefined) throw new InvalidOptionError('options.port', "a port when host is given (host only applies to TCP)", port);
  if (path !== undefined && (typeof path !== 'string' || path === '')) throw new InvalidOptionError('options.path', 'a non-empty string (a Unix socket path)', path);
  const socket = path ?? defaultEndpointPath(systemName);
  if (Buffer.byteLength(socket) > MAX_SOCKET_PATH_BYTES || Buffer.byteLength(dirname(socket)) + BIND_DIR_EXTRA_BYTES > MAX_SOCKET_PATH_BYTES) {
    const most = `a path of at most ${MAX_SOCKET_PATH_BYTES} bytes (the Unix socket limit), in a directory of at most ${MAX_SOCKET_PATH_BYTES - BIND_DIR_EXTRA_BYTES} bytes (it is bound in a private directory there first)`;
    throw new InvalidOptionError(path === undefined ? 'the default socket path (TMPDIR is too long)' : 'options.path', `${most}; use a shorter directory`, socket);
  }
  return { path: socket };
}
