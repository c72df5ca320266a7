import { lstat, unlink } from 'node:fs/promises';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { type EndpointAddress, formatEndpoint } from './endpoint.js';
import { EndpointInUseError, EndpointPathError } from './errors.js';

/** How long the stale-socket probe waits for a connection before it calls the socket in use. */
const PROBE_TIMEOUT_MS = 1000;

/**
 * Opens a local server. For a socket path that exists: a socket nobody listens on (left
 * by a process that crashed) is removed first; a socket something listens on fails with
 * `EndpointInUseError`; a file that is not a socket fails with `EndpointPathError`.
 * @internal
 */
export async function listenLocal(address: EndpointAddress, onConnection: (socket: Socket) => void): Promise<Server> {
  if ('path' in address) await clearStaleSocket(address.path);
  const server = createServer(onConnection);
  await new Promise<void>((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException): void => {
      reject(e.code === 'EADDRINUSE' ? new EndpointInUseError(formatEndpoint(address)) : e);
    };
    server.once('error', onError);
    const ready = (): void => {
      server.off('error', onError);
      resolve();
    };
    if ('path' in address) server.listen(address.path, ready);
    else server.listen({ host: address.host, port: address.port, exclusive: true }, ready);
  });
  return server;
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
