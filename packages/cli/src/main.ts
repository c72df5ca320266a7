/**
 * @arbor/cli: the `arbor` command. `runCli` is the whole program, with its input and
 * output passed in; `bin.ts` calls it with the process's.
 */
import { ArborError, renderDump } from '@arbor/core';
import { fetchDump } from '@arbor/debug';
import { open } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { UsageError } from './errors.js';
import { resolveEndpoint } from './resolveEndpoint.js';
import { runObserve } from './observe/runObserve.js';
import { runPlainTop } from './top/runPlainTop.js';
import { runTtyTop } from './top/runTtyTop.js';
import { TopSampler } from './top/TopSampler.js';
import { USAGE } from './usage.js';

export { AmbiguousEndpointError, NoEndpointFoundError, UsageError } from './errors.js';
export { resolveEndpoint } from './resolveEndpoint.js';

/** Where `runCli` reads its environment and writes its output. */
export interface CliIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  readonly env: NodeJS.ProcessEnv;
  /** Where to look for default-named sockets (default: `defaultEndpointDir()`, `/tmp/arbor-<uid>`). */
  readonly tmpdir?: string;
  /** Where `--token-file -` reads the token (default: `process.stdin`). */
  readonly stdin?: AsyncIterable<Buffer | string>;
}

/** The most bytes `--token-file` reads: a token is a line, not a file's worth. */
const MAX_TOKEN_FILE_BYTES = 4096;

/**
 * Runs `arbor` with these arguments and resolves with the exit code: 0 done, 2 usage
 * error or no dump (one line on stderr saying why), 1 internal error.
 *
 * @example
 * process.exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env });
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    return await run(argv, io);
  } catch (e) {
    if (e instanceof ArborError) {
      io.stderr.write(`arbor: ${e.message}\n`);
      return 2;
    }
    io.stderr.write(`arbor: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(argv);
  if (values.help === true) {
    io.stdout.write(USAGE);
    return 0;
  }
  const [command, ...rest] = positionals;
  if (command === undefined) {
    io.stderr.write(USAGE);
    return 2;
  }
  if (command === 'help') {
    io.stdout.write(USAGE);
    return 0;
  }
  if (command !== 'dump' && command !== 'top' && command !== 'observe') throw new UsageError(`unknown command ${JSON.stringify(command)}`);
  if (rest.length > 0) throw new UsageError(`${command} takes no arguments, got ${JSON.stringify(rest[0])}`);
  if (command !== 'top') {
    for (const flag of ['interval', 'count', 'limit'] as const) if (values[flag] !== undefined) throw new UsageError(`--${flag} is an option of arbor top, not of ${command}`);
  }
  if (command !== 'dump' && values.json === true) throw new UsageError(`--json is an option of arbor dump, not of ${command} (arbor dump --json prints one dump)`);
  if (command !== 'observe') {
    for (const flag of ['allow-control', 'port', 'open'] as const) if (values[flag] !== undefined) throw new UsageError(`--${flag} is an option of arbor observe, not of ${command}`);
  }
  const port = command === 'observe' ? portOf(values.port) : 0;
  const timeout = timeoutOf(values.timeout);
  if (values.endpoint !== undefined && values.endpoint.trim() === '') throw new UsageError('--endpoint must be a socket path or 127.0.0.1:<port>, got ""');
  if (values.token !== undefined && values.token.trim() === '') throw new UsageError('--token must be the TCP endpoint\'s token, got ""');
  if (values.token !== undefined && values['token-file'] !== undefined) throw new UsageError('give --token or --token-file, not both (prefer --token-file: other users can read --token in the process list)');
  const endpoint = resolveEndpoint(values.endpoint, io.env, io.tmpdir);
  const envToken = io.env['ARBOR_TOKEN'];
  const fileToken = values['token-file'] === undefined ? undefined : await readTokenArg(values['token-file'], io);
  const token = fileToken ?? values.token ?? (envToken !== undefined && envToken !== '' ? envToken : undefined);
  const fetchOptions = token === undefined ? { timeout } : { timeout, token };
  if (command === 'top') return top(values, endpoint, fetchOptions, io);
  if (command === 'observe') {
    return runObserve({ endpoint, token, timeout, allowControl: values['allow-control'] === true, port, open: values.open === true, stdout: io.stdout, stderr: io.stderr });
  }
  const d = await fetchDump(endpoint, fetchOptions);
  io.stdout.write(`${values.json === true ? JSON.stringify(d) : renderDump(d)}\n`);
  return 0;
}

/** `arbor top`: the live view on a terminal, else plain blocks (see runTtyTop and runPlainTop). */
async function top(values: ReturnType<typeof parse>['values'], endpoint: string, fetchOptions: { timeout: number; token?: string }, io: CliIo): Promise<number> {
  const intervalMs = wholeNumber('--interval', values.interval, 200, ' of milliseconds') ?? 1000;
  const count = wholeNumber('--count', values.count, 1);
  const limit = wholeNumber('--limit', values.limit, 1);
  const sampler = new TopSampler(endpoint, fetchOptions);
  const stdout = io.stdout as Partial<NodeJS.WriteStream>;
  const opts = { sampler, intervalMs, ...(count === undefined ? {} : { count }), ...(limit === undefined ? {} : { limit }) };
  if (stdout.isTTY === true) {
    const stdin = (io.stdin ?? process.stdin) as NodeJS.ReadStream;
    return runTtyTop({ ...opts, stdout: stdout as NodeJS.WriteStream, stdin });
  }
  const stop = new AbortController();
  const onTerm = (): void => stop.abort();
  process.once('SIGTERM', onTerm);
  try {
    return await runPlainTop({ ...opts, stdout: io.stdout, stderr: io.stderr, stop: stop.signal });
  } finally {
    process.off('SIGTERM', onTerm);
  }
}

/** A whole-number option, at least `min`; undefined when not given. */
function wholeNumber(flag: string, text: string | undefined, min: number, unit = ''): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < min) throw new UsageError(`${flag} must be a whole number${unit} >= ${min}, got ${JSON.stringify(text)}`);
  return n;
}

function parse(argv: readonly string[]) {
  try {
    return parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        json: { type: 'boolean' },
        endpoint: { type: 'string' },
        token: { type: 'string' },
        'token-file': { type: 'string' },
        timeout: { type: 'string' },
        interval: { type: 'string' },
        count: { type: 'string' },
        limit: { type: 'string' },
        'allow-control': { type: 'boolean' },
        port: { type: 'string' },
        open: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    // parseArgs adds advice about '--' after the first sentence; keep the first sentence.
    throw new UsageError(e instanceof Error ? e.message.split(/\.(?: |$)/)[0]! : String(e));
  }
}

/** The token in `--token-file <path>` (`-`: standard input), its first line trimmed. */
async function readTokenArg(path: string, io: CliIo): Promise<string> {
  const from = path === '-' ? 'standard input (--token-file -)' : `--token-file ${JSON.stringify(path)}`;
  let text: string;
  if (path === '-') {
    const chunks: Buffer[] = [];
    let bytes = 0;
    for await (const chunk of io.stdin ?? process.stdin) {
      const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      chunks.push(b);
      bytes += b.length;
      if (bytes > MAX_TOKEN_FILE_BYTES) break;
    }
    text = Buffer.concat(chunks).toString('utf8');
  } else {
    if (path.trim() === '') throw new UsageError('--token-file must be a file that holds the token, or - for standard input, got ""');
    try {
      const file = await open(path, 'r');
      try {
        const buf = Buffer.alloc(MAX_TOKEN_FILE_BYTES + 1);
        const { bytesRead } = await file.read(buf, 0, buf.length, null); // at most this much, whatever the file
        text = buf.subarray(0, bytesRead).toString('utf8');
      } finally {
        await file.close();
      }
    } catch (e) {
      throw new UsageError(`cannot read ${from}: ${(e as NodeJS.ErrnoException).code ?? String(e)}; pass a file that holds the endpoint's token`);
    }
  }
  if (Buffer.byteLength(text) > MAX_TOKEN_FILE_BYTES) throw new UsageError(`${from} is longer than ${MAX_TOKEN_FILE_BYTES} bytes; it should hold only the endpoint's token`);
  const token = (text.split('\n')[0] ?? '').trim();
  if (token === '') throw new UsageError(`${from} holds no token (its first line is empty)`);
  return token;
}

/** `--port`: the observer page's port on 127.0.0.1 (default 0: a free one). */
function portOf(text: string | undefined): number {
  if (text === undefined) return 0;
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n > 65535) throw new UsageError(`--port must be a port number from 0 to 65535 (0: a free one), got ${JSON.stringify(text)}`);
  return n;
}

function timeoutOf(text: string | undefined): number {
  if (text === undefined) return 5000;
  const ms = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(ms) || ms < 1) throw new UsageError(`--timeout must be a whole number of milliseconds >= 1, got ${JSON.stringify(text)}`);
  return ms;
}
