import { checkDump, checkTimeout, InvalidOptionError, type Dump } from '@arbor/core';
import { connectTo, formatEndpoint, parseEndpoint, tokenFilePath, type EndpointAddress } from './endpoint.js';
import { DumpTimeoutError, EndpointRefusedError, EndpointTokenError, EndpointUnreachableError, MalformedDumpError, type EndpointRefusal } from './errors.js';
import { readTokenFile } from './private.js';
import { LineSplitter } from './wire.js';

/** Options of {@link fetchDump}. */
export interface FetchDumpOptions {
  /** Milliseconds to wait for the whole answer, connection included (default 5000). */
  readonly timeout?: number;
  /**
   * The token of a TCP endpoint. Default: `ARBOR_TOKEN` from the environment, else the
   * token file the endpoint wrote (`tokenFilePath(port)`, readable by its user only).
   * Not sent to a Unix socket (its file mode decides who may connect).
   */
  readonly token?: string;
}

/** How long `fetchDump` waits by default, as a call does. */
const DEFAULT_TIMEOUT = 5000;

/**
 * `options.timeout` under core's timeout rule (`checkTimeout`), or the default when it is
 * undefined. `options` is already known to be an object or undefined; an array is refused
 * as a call's options are.
 */
function timeoutOf(options: FetchDumpOptions | undefined): number {
  if (options === undefined) return DEFAULT_TIMEOUT;
  if (Array.isArray(options)) throw new InvalidOptionError('options', 'an object { timeout? } or undefined', options);
  return options.timeout === undefined ? DEFAULT_TIMEOUT : checkTimeout('options.timeout', options.timeout);
}

const REFUSALS: ReadonlySet<string> = new Set<EndpointRefusal>(['too_many_connections', 'request_too_large', 'idle_timeout', 'bad_request']);

/**
 * Connects to a `DebugEndpoint` (a socket path, or `127.0.0.1:<port>`) and resolves with
 * its dump. Rejects with `InvalidEndpointError` (bad endpoint text),
 * `EndpointUnreachableError` (no such socket, connection refused, permission denied),
 * `EndpointTokenError` (TCP: no token or a wrong one), `EndpointRefusedError` (a limit
 * of the endpoint, such as its connection cap), `DumpTimeoutError`, or
 * `MalformedDumpError` (the answer is not a dump). The connection is closed in every case.
 *
 * @example
 * const d = await fetchDump('/tmp/arbor-shop-4242.sock', { timeout: 2000 });
 * console.log(renderDump(d));
 */
export function fetchDump(endpoint: string | EndpointAddress, options?: FetchDumpOptions): Promise<Dump> {
  let address: EndpointAddress;
  let timeout: number;
  let token: string | undefined;
  try {
    address = typeof endpoint === 'string' ? parseEndpoint(endpoint) : parseEndpoint(formatEndpoint(endpoint));
    if (options !== undefined && (typeof options !== 'object' || options === null)) {
      throw new InvalidOptionError('options', 'an object { timeout, token } or undefined', options);
    }
    timeout = timeoutOf(options);
    token = tokenOf(address, options);
  } catch (e) {
    return Promise.reject(e);
  }
  const label = formatEndpoint(address);
  const tokenFile = 'port' in address ? tokenFilePath(address.port) : '';
  const request = `${JSON.stringify(token === undefined ? { op: 'dump' } : { op: 'dump', token })}\n`;
  return new Promise<Dump>((resolve, reject) => {
    const socket = connectTo(address);
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
      socket.write(request);
    });
    socket.on('error', (e: NodeJS.ErrnoException) => {
      const code = e.code ?? 'unknown error';
      finish(connected ? new MalformedDumpError(label, `connection error ${code}`) : new EndpointUnreachableError(label, code));
    });
    const lines = new LineSplitter();
    socket.on('data', (chunk: Buffer) => {
      const line = lines.push(chunk)[0];
      if (line === undefined) return;
      const answer = readAnswer(label, line, token === undefined, tokenFile);
      if (answer instanceof Error) finish(answer);
      else finish(null, answer);
    });
    socket.once('close', () => finish(new MalformedDumpError(label, 'the connection closed before a full answer')));
  });
}

/** The token to send: none to a Unix socket; on TCP the option, else ARBOR_TOKEN, else the token file. @internal */
export function tokenOf(address: EndpointAddress, options: FetchDumpOptions | undefined): string | undefined {
  const given = options?.token;
  if (given !== undefined && (typeof given !== 'string' || given === '')) {
    throw new InvalidOptionError('options.token', "a non-empty string (the TCP endpoint's token), or left out to use ARBOR_TOKEN or the token file", given);
  }
  if (!('port' in address)) return undefined;
  if (given !== undefined) return given;
  const fromEnv = process.env['ARBOR_TOKEN'];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  return readTokenFile(tokenFilePath(address.port));
}

/** The dump in an answer line, or the error that says what is wrong with it. */
function readAnswer(label: string, line: string, noToken: boolean, tokenFile: string): Dump | Error {
  let answer: unknown;
  try {
    answer = JSON.parse(line);
  } catch {
    return new MalformedDumpError(label, 'the answer is not JSON');
  }
  if (typeof answer !== 'object' || answer === null) return new MalformedDumpError(label, 'the answer is not an object');
  return dumpOfAnswer(label, answer, noToken, tokenFile);
}

/** The dump in a parsed answer line, or the error that says what is wrong with it. @internal */
export function dumpOfAnswer(label: string, answer: object, noToken: boolean, tokenFile: string): Dump | Error {
  const a = answer as { ok?: unknown; dump?: unknown };
  if (a.ok !== true) return refusalOf(label, a, noToken, tokenFile) ?? new MalformedDumpError(label, `the endpoint answered an error: ${errorOf(a).message}`);
  const problem = checkDump(a.dump);
  return problem === null ? (a.dump as Dump) : new MalformedDumpError(label, problem);
}

/** The code and message of an error answer line (`{"ok":false,"error":{code,message}}`). @internal */
export function errorOf(answer: object): { readonly code: string; readonly message: string } {
  const error = (answer as { error?: { code?: unknown; message?: unknown } }).error;
  return {
    code: typeof error?.code === 'string' ? error.code : 'unknown',
    message: typeof error?.message === 'string' ? error.message : 'no ok field',
  };
}

/**
 * The typed error of an error answer that is about the connection, not the request: a
 * missing or wrong token (`EndpointTokenError`) or one of the endpoint's limits
 * (`EndpointRefusedError`); undefined for any other code. @internal
 */
export function refusalOf(label: string, answer: object, noToken: boolean, tokenFile: string): Error | undefined {
  const { code, message } = errorOf(answer);
  if (code === 'unauthorized') return new EndpointTokenError(label, noToken, tokenFile);
  if (REFUSALS.has(code)) return new EndpointRefusedError(label, code as EndpointRefusal, message);
  return undefined;
}

/** True for an error answer after which the endpoint closes the connection (the token, or one of its limits). @internal */
export function closesConnection(answer: object): boolean {
  if ((answer as { ok?: unknown }).ok !== false) return false;
  const { code } = errorOf(answer);
  return code === 'unauthorized' || REFUSALS.has(code);
}
