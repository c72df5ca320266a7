import { lstatSync, readdirSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidOptionError } from '@arbor/core';
import { InvalidEndpointError } from './errors.js';

/** Where a debug endpoint listens: a Unix socket path, or a port on 127.0.0.1. */
export type EndpointAddress = { readonly path: string } | { readonly host: '127.0.0.1'; readonly port: number };

/** The only host a TCP endpoint may use. */
export const LOOPBACK = '127.0.0.1';

const DEFAULT_NAME = /^arbor-(.+)-(\d+)\.sock$/;

/**
 * The directory of the default endpoint sockets and TCP token files: `arbor-<uid>` in the
 * temp directory. `DebugEndpoint` creates it with mode 0700 (only its owner can enter it)
 * and refuses one that belongs to another user.
 *
 * @example
 * defaultEndpointDir() // '/tmp/arbor-1000'
 */
export function defaultEndpointDir(base: string = tmpdir()): string {
  if (typeof base !== 'string' || base === '') throw new InvalidOptionError('base', 'a directory path (default: the temp directory)', base);
  const user = typeof process.getuid === 'function' ? String(process.getuid()) : 'user';
  return join(base, `arbor-${user}`);
}

/**
 * The socket path a `DebugEndpoint` uses by default: `arbor-<system>-<pid>.sock` in
 * {@link defaultEndpointDir} (characters other than letters, digits, `.`, `_` and `-` in
 * the system name become `_`, and it is cut to 24 characters).
 *
 * @example
 * defaultEndpointPath('shop') // '/tmp/arbor-1000/arbor-shop-4242.sock'
 */
export function defaultEndpointPath(systemName: string, pid: number = process.pid, dir: string = defaultEndpointDir()): string {
  if (typeof systemName !== 'string') throw new InvalidOptionError('systemName', 'a string (the system name)', systemName);
  checkPid(pid);
  checkDir(dir);
  const safe = systemName.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 24) || 'arbor';
  return join(dir, `arbor-${safe}-${pid}.sock`);
}

/**
 * Where a TCP `DebugEndpoint` writes the token it generated (mode 0600), and where
 * `fetchDump` and `arbor dump` read it: `arbor-tcp-<port>.token` in {@link defaultEndpointDir}.
 *
 * @example
 * tokenFilePath(9900) // '/tmp/arbor-1000/arbor-tcp-9900.token'
 */
export function tokenFilePath(port: number, dir: string = defaultEndpointDir()): string {
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) throw new InvalidOptionError('port', 'an integer from 1 to 65535', port);
  checkDir(dir);
  return join(dir, `arbor-tcp-${port}.token`);
}

function checkPid(pid: unknown): void {
  if (typeof pid !== 'number' || !Number.isSafeInteger(pid) || pid < 0) throw new InvalidOptionError('pid', 'an integer >= 0 (a process id)', pid);
}

function checkDir(dir: unknown): void {
  if (typeof dir !== 'string' || dir === '') throw new InvalidOptionError('dir', 'a non-empty directory path', dir);
}

/**
 * Reads an endpoint text: `127.0.0.1:<port>` (or `localhost:<port>`) is TCP, anything
 * else without a host part is a Unix socket path. Throws `InvalidEndpointError` for an
 * empty text, a bad port, or another host.
 *
 * @example
 * parseEndpoint('127.0.0.1:9229') // { host: '127.0.0.1', port: 9229 }
 * parseEndpoint('/tmp/arbor-shop-4242.sock') // { path: '/tmp/arbor-shop-4242.sock' }
 */
export function parseEndpoint(text: string): EndpointAddress {
  if (typeof text !== 'string' || text.trim() === '') throw new InvalidEndpointError(text);
  const tcp = /^([^/\\]*):(\d*)$/.exec(text.trim());
  if (tcp === null) return { path: text };
  const host = tcp[1]!;
  const port = Number(tcp[2]);
  if ((host !== LOOPBACK && host !== 'localhost') || tcp[2] === '' || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new InvalidEndpointError(text);
  }
  return { host: LOOPBACK, port };
}

/**
 * An endpoint as text, the form `parseEndpoint`, `fetchDump` and `arbor dump --endpoint` take.
 *
 * @example
 * formatEndpoint({ host: '127.0.0.1', port: 9229 }) // '127.0.0.1:9229'
 */
export function formatEndpoint(address: EndpointAddress): string {
  if (typeof address !== 'object' || address === null) throw new InvalidEndpointError(address);
  const a = address as { path?: unknown; host?: unknown; port?: unknown };
  if ('path' in a ? typeof a.path !== 'string' || a.path === '' : typeof a.host !== 'string' || typeof a.port !== 'number') throw new InvalidEndpointError(address);
  return 'path' in address ? address.path : `${address.host}:${address.port}`;
}

/** Opens a client connection to an endpoint (its socket path, or its port on 127.0.0.1). @internal */
export function connectTo(address: EndpointAddress): Socket {
  return 'path' in address ? connect(address.path) : connect({ host: address.host, port: address.port });
}

/** A socket file with the default name, as {@link findEndpoints} finds it. */
export interface FoundEndpoint {
  readonly path: string;
  /** The system name as it appears in the file name. */
  readonly system: string;
  readonly pid: number;
  /** True if no process with that pid is alive: the file was left by a process that crashed. */
  readonly stale: boolean;
}

/**
 * Lists the socket files with the default endpoint name (`arbor-<system>-<pid>.sock`) in
 * a directory (default: {@link defaultEndpointDir}), sorted by path.
 *
 * @example
 * findEndpoints().filter((e) => !e.stale) // [{ path: '/tmp/arbor-1000/arbor-shop-4242.sock', system: 'shop', pid: 4242, stale: false }]
 */
export function findEndpoints(dir: string = defaultEndpointDir()): FoundEndpoint[] {
  checkDir(dir);
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  const found: FoundEndpoint[] = [];
  for (const entry of entries.sort()) {
    const m = DEFAULT_NAME.exec(entry);
    if (m === null) continue;
    const path = join(dir, entry);
    try {
      if (!lstatSync(path).isSocket()) continue;
    } catch {
      continue; // removed meanwhile
    }
    const pid = Number(m[2]);
    found.push({ path, system: m[1]!, pid, stale: !processAlive(pid) });
  }
  return found;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
