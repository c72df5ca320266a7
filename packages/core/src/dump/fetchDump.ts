import { connect } from 'node:net';
import { timeoutOf } from '../system/SpawnOptions.js';
import type { Dump } from './DumpNode.js';
import { formatEndpoint, parseEndpoint, type EndpointAddress } from './endpoint.js';
import { DumpTimeoutError, EndpointUnreachableError, MalformedDumpError } from './errors.js';
import { checkDump, LineSplitter } from './wire.js';

/** Options of {@link fetchDump}. */
export interface FetchDumpOptions {
  /** Milliseconds to wait for the whole answer, connection included (default 5000). */
  readonly timeout?: number;
}

/**
 * Connects to a `DebugEndpoint` (a socket path, or `127.0.0.1:<port>`) and resolves with
 * its dump. Rejects with `InvalidEndpointError` (bad endpoint text),
 * `EndpointUnreachableError` (no such socket, connection refused), `DumpTimeoutError`, or
 * `MalformedDumpError` (the answer is not a dump). The connection is closed in every case.
 *
 * @example
 * const d = await fetchDump('/tmp/arbor-shop-4242.sock', { timeout: 2000 });
 * console.log(renderDump(d));
 */
export function fetchDump(endpoint: string | EndpointAddress, options?: FetchDumpOptions): Promise<Dump> {
  let address: EndpointAddress;
  let timeout: number;
  try {
    address = typeof endpoint === 'string' ? parseEndpoint(endpoint) : parseEndpoint(formatEndpoint(endpoint));
    timeout = timeoutOf(options);
  } catch (e) {
    return Promise.reject(e);
  }
  const label = formatEndpoint(address);
  return new Promise<Dump>((resolve, reject) => {
    const socket = 'path' in address ? connect(address.path) : connect({ host: address.host, port: address.port });
    let connected = false;
    let settled = false;
    const finish = (error: Error | null, d?: Dump): void => {
      if (settled) return;
      settled = true;
      if (timer !== undefined) clearTimeout(timer);
      socket.destroy();
      if (error !== null) reject(error);
      else resolve(d!);
    };
    const timer = timeout === Infinity ? undefined : setTimeout(() => finish(new DumpTimeoutError(label, timeout)), timeout);
    socket.once('connect', () => {
      connected = true;
      socket.write('{"op":"dump"}\n');
    });
    socket.on('error', (e: NodeJS.ErrnoException) => {
      const code = e.code ?? 'unknown error';
      finish(connected ? new MalformedDumpError(label, `connection error ${code}`) : new EndpointUnreachableError(label, code));
    });
    const lines = new LineSplitter();
    socket.on('data', (chunk: Buffer) => {
      const line = lines.push(chunk)[0];
      if (line === undefined) return;
      const answer = readAnswer(label, line);
      if (answer instanceof Error) finish(answer);
      else finish(null, answer);
    });
    socket.once('close', () => finish(new MalformedDumpError(label, 'the connection closed before a full answer')));
  });
}

/** The dump in an answer line, or the error that says what is wrong with it. */
function readAnswer(label: string, line: string): Dump | MalformedDumpError {
  let answer: unknown;
  try {
    answer = JSON.parse(line);
  } catch {
    return new MalformedDumpError(label, 'the answer is not JSON');
  }
  if (typeof answer !== 'object' || answer === null) return new MalformedDumpError(label, 'the answer is not an object');
  const a = answer as { ok?: unknown; dump?: unknown; error?: { message?: unknown } };
  if (a.ok !== true) {
    const message = typeof a.error?.message === 'string' ? a.error.message : 'no ok field';
    return new MalformedDumpError(label, `the endpoint answered an error: ${message}`);
  }
  const problem = checkDump(a.dump);
  return problem === null ? (a.dump as Dump) : new MalformedDumpError(label, problem);
}
