/**
 * @arbor/cli: the `arbor` command. `runCli` is the whole program, with its input and
 * output passed in; `bin.ts` calls it with the process's.
 */
import { ArborError, fetchDump, renderDump } from '@arbor/core';
import { parseArgs } from 'node:util';
import { UsageError } from './errors.js';
import { resolveEndpoint } from './resolveEndpoint.js';
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
}

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
  if (command !== 'dump') throw new UsageError(`unknown command ${JSON.stringify(command)}`);
  if (rest.length > 0) throw new UsageError(`dump takes no arguments, got ${JSON.stringify(rest[0])}`);
  const timeout = timeoutOf(values.timeout);
  if (values.endpoint !== undefined && values.endpoint.trim() === '') throw new UsageError('--endpoint must be a socket path or 127.0.0.1:<port>, got ""');
  if (values.token !== undefined && values.token.trim() === '') throw new UsageError('--token must be the TCP endpoint\'s token, got ""');
  const endpoint = resolveEndpoint(values.endpoint, io.env, io.tmpdir);
  const envToken = io.env['ARBOR_TOKEN'];
  const token = values.token ?? (envToken !== undefined && envToken !== '' ? envToken : undefined);
  const d = await fetchDump(endpoint, token === undefined ? { timeout } : { timeout, token });
  io.stdout.write(`${values.json === true ? JSON.stringify(d) : renderDump(d)}\n`);
  return 0;
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
        timeout: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    // parseArgs adds advice about '--' after the first sentence; keep the first sentence.
    throw new UsageError(e instanceof Error ? e.message.split(/\.(?: |$)/)[0]! : String(e));
  }
}

function timeoutOf(text: string | undefined): number {
  if (text === undefined) return 5000;
  const ms = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(ms) || ms < 1) throw new UsageError(`--timeout must be a whole number of milliseconds >= 1, got ${JSON.stringify(text)}`);
  return ms;
}
