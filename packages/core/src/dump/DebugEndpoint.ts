import { lstat, unlink } from 'node:fs/promises';
import type { Server, Socket } from 'node:net';
import type { ActorRef } from '../actor/ActorRef.js';
import { GenServer } from '../actor/GenServer.js';
import type { Call, SystemInfo } from '../actor/Protocol.js';
import { InvalidOptionError } from '../errors/errors.js';
import { formatReason, type ExitReason } from '../exit/ExitReason.js';
import { dump } from './dump.js';
import { defaultEndpointPath, formatEndpoint, LOOPBACK, type EndpointAddress } from './endpoint.js';
import { PublicHostError } from './errors.js';
import { listenLocal } from './listen.js';
import { renderDump } from './renderDump.js';
import { LineSplitter, MAX_REQUEST_BYTES, parseRequest, type Answer } from './wire.js';

/** Where a {@link DebugEndpoint} listens. Give `path` or `port`, or neither for the default socket. */
export interface DebugEndpointOptions {
  /** A Unix socket path (default: `arbor-<system>-<pid>.sock` in the temp directory, see `defaultEndpointPath`). */
  readonly path?: string;
  /** Listen on TCP `127.0.0.1:<port>` instead of a socket; 0 picks a free port (ask it with `{ type: 'endpoint' }`). */
  readonly port?: number;
  /** Only `'127.0.0.1'`: any other host is refused with `PublicHostError`. */
  readonly host?: typeof LOOPBACK;
}

/** What a {@link DebugEndpoint} answers. */
export interface DebugEndpointProtocol {
  /** The endpoint it listens on, as `fetchDump` and `arbor dump --endpoint` take it. */
  call: Call<'endpoint', string>;
}

/** A {@link DebugEndpoint}'s state. */
export interface DebugEndpointState {
  /** The endpoint it listens on (a socket path, or `127.0.0.1:<port>`). */
  readonly endpoint: string;
}

/** A line read from a connection, handed to the actor as an info message. */
class EndpointRequest {
  constructor(
    readonly socket: Socket,
    readonly line: string,
  ) {}
}

/** The longest Unix socket path the OS accepts (longer ones are silently cut by the kernel). */
const MAX_SOCKET_PATH_BYTES = process.platform === 'darwin' ? 103 : 107;

/**
 * An actor that serves the dump of its system on a local endpoint: a Unix socket
 * (default) or TCP on 127.0.0.1, never a public interface. Add it to the application's
 * tree like any child; it stops listening and removes its socket file when it stops.
 * Requests are newline-delimited JSON: `{"op":"dump"}` answers
 * `{"ok":true,"dump":<Dump>}` and `{"op":"text"}` answers `{"ok":true,"text":"..."}`.
 * Read it with `fetchDump(endpoint)` or `npx arbor dump`.
 *
 * A socket file left by a process that crashed is replaced; a socket another process
 * listens on fails the start with `EndpointInUseError`.
 *
 * @example
 * const debug = await system.spawn(DebugEndpoint, {}); // /tmp/arbor-<system>-<pid>.sock
 * await system.call(debug, { type: 'endpoint' });
 * // or on TCP: system.spawn(DebugEndpoint, { port: 9900 }) -> 127.0.0.1:9900
 */
export class DebugEndpoint extends GenServer<DebugEndpointProtocol, DebugEndpointState, DebugEndpointOptions | undefined> {
  #server: Server | undefined;
  readonly #connections = new Set<Socket>();
  #path: string | undefined;
  #inode: number | undefined;
  #closing: Promise<void> | undefined;

  override async init(options: DebugEndpointOptions | undefined): Promise<void> {
    const address = addressOf(options, this.system.name);
    // Trapping exits makes the parent's exit run `terminate`; a kill is caught by the monitor below.
    this.trapExit(true);
    this.system.monitor(this.self, () => void this.#close());
    const server = await listenLocal(address, (socket) => this.#accept(socket));
    this.#server = server;
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
    } else {
      const bound = server.address();
      const port = typeof bound === 'object' && bound !== null ? bound.port : address.port;
      this.state = { endpoint: formatEndpoint({ host: LOOPBACK, port }) };
    }
  }

  override handleCall(_req: { type: 'endpoint' }): string {
    return this.state.endpoint;
  }

  override handleInfo(msg: SystemInfo | EndpointRequest): void {
    if (msg instanceof EndpointRequest) {
      this.#answer(msg);
      return;
    }
    // Exit signals other than the parent's (links, exit(ref, reason)): act as an actor that does not trap them.
    if (msg.type === 'EXIT' && msg.reason !== 'normal') this.stop(msg.reason);
  }

  override async terminate(_reason: ExitReason): Promise<void> {
    await this.#close();
  }

  #accept(socket: Socket): void {
    if (this.#closing !== undefined) {
      socket.destroy();
      return;
    }
    this.#connections.add(socket);
    socket.unref();
    socket.on('close', () => this.#connections.delete(socket));
    socket.on('error', () => socket.destroy());
    const self: ActorRef = this.self;
    const system = this.system;
    const lines = new LineSplitter();
    socket.on('data', (chunk: Buffer) => {
      for (const line of lines.push(chunk)) if (line.trim() !== '') system.send(self, new EndpointRequest(socket, line));
      if (lines.pendingBytes > MAX_REQUEST_BYTES) socket.destroy();
    });
  }

  /** Answers one request line. Never throws: the endpoint must not take its parent down. */
  #answer({ socket, line }: EndpointRequest): void {
    if (socket.destroyed || !socket.writable) return;
    const req = parseRequest(line);
    let text: string;
    try {
      const answer: Answer = 'ok' in req ? req : req.op === 'dump' ? { ok: true, dump: dump(this.system) } : { ok: true, text: renderDump(dump(this.system)) };
      text = JSON.stringify(answer);
    } catch (e) {
      const failed: Answer = { ok: false, error: { code: 'internal_error', message: formatReason(e) } };
      text = JSON.stringify(failed);
    }
    socket.write(`${text}\n`);
  }

  /** Stops listening, drops the connections and removes the socket file. Idempotent. */
  #close(): Promise<void> {
    this.#closing ??= new Promise<void>((resolve) => {
      for (const socket of this.#connections) socket.destroy();
      this.#connections.clear();
      const server = this.#server;
      if (server === undefined || !server.listening) {
        resolve();
        return;
      }
      server.close(() => resolve());
    }).then(() => this.#removeSocketFile());
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

/** Reads and checks the options: a socket path, or a port on 127.0.0.1. */
function addressOf(options: DebugEndpointOptions | undefined, systemName: string): EndpointAddress {
  if (options === undefined) return { path: defaultEndpointPath(systemName) };
  if (typeof options !== 'object' || options === null) throw new InvalidOptionError('options', 'an object { path } or { port } or undefined', options);
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
  if (path === undefined) return { path: defaultEndpointPath(systemName) };
  if (typeof path !== 'string' || path === '') throw new InvalidOptionError('options.path', 'a non-empty string (a Unix socket path)', path);
  if (Buffer.byteLength(path) > MAX_SOCKET_PATH_BYTES) {
    throw new InvalidOptionError('options.path', `a path of at most ${MAX_SOCKET_PATH_BYTES} bytes (the Unix socket limit); use a shorter directory`, path);
  }
  return { path };
}
