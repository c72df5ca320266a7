import { chmod, link, lstat, mkdtemp, rmdir, unlink } from 'node:fs/promises';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { type EndpointAddress, formatEndpoint } from './endpoint.js';
import { EndpointInUseError, EndpointPathError } from './errors.js';

/** How long the stale-socket probe waits for a connection before it calls the socket in use. */
const PROBE_TIMEOUT_MS = 1000;

/** How many bytes the private bind directory adds to the socket's directory: `/.aXXXXXX/s`. */
export const BIND_DIR_EXTRA_BYTES = 11;

/**
 * Opens a local server. For a socket path that exists: a socket nobody listens on (left
 * by a process that crashed) is removed first; a socket something listens on fails with
 * `EndpointInUseError`; a file that is not a socket fails with `EndpointPathError`.
 *
 * A Unix socket gets mode 0600 whatever the umask, and is never reachable with wider
 * bits: it is bound inside a fresh 0700 directory next to `path`, chmod'ed to 0600 there,
 * then hard-linked to `path` (a link never replaces a file that appeared meanwhile).
 * @internal
 */
export async function listenLocal(address: EndpointAddress, onConnection: (socket: Socket) => void): Promise<Server> {
  if (!('path' in address)) return listenOn(createServer({ allowHalfOpen: true }, onConnection), address);
  const path = address.path;
  await clearStaleSocket(path);
  const dir = await mkdtemp(join(dirname(path), '.a'));
  const bound = join(dir, 's');
  const server = createServer({ allowHalfOpen: true }, onConnection);
  try {
    await listenOn(server, { path: bound }, path);
    await chmod(bound, 0o600);
    try {
      await link(bound, path);
    } catch (e) {
      throw (e as NodeJS.ErrnoException).code === 'EEXIST' ? new EndpointInUseError(path) : e;
    }
    return server;
  } catch (e) {
    await new Promise<void>((r) => (server.listening ? server.close(() => r()) : r()));
    throw e;
  } finally {
    await unlink(bound).catch(() => {});
    await rmdir(dir).catch(() => {});
  }
}

function listenOn(server: Server, address: EndpointAddress, label: string = formatEndpoint(address)): Promise<Server> {
  return new Promise<Server>((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException): void => {
      reject(e.code === 'EADDRINUSE' ? new EndpointInUseError(label) : e);
    };
    server.once('error', onError);
    const ready = (): void => {
      server.off('error', onError);
      resolve(server);
    };
    if ('path' in address) server.listen(address.path, ready);
    else server.listen({ host: address.host, port: address.port, exclusive: true }, ready);
  });
}

async function clearStaleSocket(path: string): Promise<void> {
  let isSocket: boolean;
  try {
    isSocket = (await lstat(path)).isSocket();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  if (!isSocket) throw new EndpointPathError(path);
  if (await somethingListens(path)) throw new EndpointInUseError(path);
  try {
    await unlink(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
}

/** True if a connection to the socket succeeds (or hangs: then something holds it too). */
function somethingListens(path: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const probe = connect(path);
    const done = (listening: boolean | Error): void => {
      clearTimeout(timer);
      probe.destroy();
      if (listening instanceof Error) reject(listening);
      else resolve(listening);
    };
    const timer = setTimeout(() => done(true), PROBE_TIMEOUT_MS);
    probe.once('connect', () => done(true));
    probe.once('error', (e: NodeJS.ErrnoException) => done(e.code === 'ECONNREFUSED' || e.code === 'ENOENT' ? false : e));
  });
}
