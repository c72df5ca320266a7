import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { InvalidOptionError, isActorRef, refExpected, type ActorRef } from '@arbor/core';
import { ActivationFailedError, SpawnFailedError, WorkerAlreadyRegisteredError } from '../registry/errors.js';
import { ProcessRegistryHandle } from '../registry/ProcessRegistryHandle.js';
import type { WorkerInfo } from '../registry/protocol.js';
import { checkWorkerId } from '../registry/validate.js';

/**
 * What {@link spawnWorker} starts.
 *
 * @example
 * const o: SpawnWorkerOptions = { workerId: 'py-1', command: 'python3', args: ['worker.py'], fingerprint: 'py:v1' };
 */
export interface SpawnWorkerOptions {
  readonly workerId: string;
  readonly command: string;
  readonly args?: readonly string[];
  readonly cwd?: string;
  /** The base environment (default `process.env`); the run markers are added to it. */
  readonly env?: NodeJS.ProcessEnv;
  /** Default `'ignore'`. */
  readonly stdio?: StdioOptions;
  /** The actor that manages the worker (recorded at activation; `validateWorkers` checks it). */
  readonly actor?: ActorRef;
  readonly fingerprint?: string | null;
}

/**
 * A spawned, activated worker: the child process (its own process-group leader) and its entry.
 *
 * @example
 * const { child, worker } = await spawnWorker(registry, { workerId: 'w1', command: 'node', args: ['w.js'] });
 */
export interface SpawnedWorker {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly worker: WorkerInfo;
}

const KNOWN_KEYS = ['workerId', 'command', 'args', 'cwd', 'env', 'stdio', 'actor', 'fingerprint'] as const;
const STDIO_NAMES = new Set(['pipe', 'ignore', 'inherit', 'overlapped']);
const STDIO_ITEMS = new Set(['pipe', 'ignore', 'inherit', 'overlapped', 'ipc']);

function bad(field: string, expected: string, value: unknown): InvalidOptionError {
  return new InvalidOptionError(`spawnWorker: ${field}`, expected, value);
}

const noNul = (v: unknown): v is string => typeof v === 'string' && !v.includes('\0');

/**
 * Checks every argument of {@link spawnWorker} before anything is reserved or spawned
 * (throwing `InvalidOptionError` naming the field), so junk never reaches `child_process`
 * as a raw `TypeError`. Unknown keys are refused: `spawnWorker` has no `signal`, `timeout`
 * or `detached` option (workers always lead their own group). @internal
 */
export function checkSpawnWorkerArgs(registry: unknown, options: unknown): asserts options is SpawnWorkerOptions {
  if (!(registry instanceof ProcessRegistryHandle)) throw bad('registry', 'a ProcessRegistryHandle (what ProcessRegistry.start resolves with)', registry);
  if (typeof options !== 'object' || options === null || Array.isArray(options)) throw bad('options', 'an object { workerId, command, args?, cwd?, env?, stdio?, actor?, fingerprint? }', options);
  const o = options as { [key: string]: unknown };
  for (const key of Object.keys(o)) {
    if (!(KNOWN_KEYS as readonly string[]).includes(key)) throw bad(`options.${key}`, `absent: it is not an option (known: ${KNOWN_KEYS.join(', ')})`, o[key]);
  }
  checkWorkerId('spawnWorker', o['workerId']);
  if (!noNul(o['command']) || o['command'].length === 0) throw bad('options.command', 'a non-empty string without NUL characters (the executable)', o['command']);
  const args = o['args'];
  if (args !== undefined && (!Array.isArray(args) || !args.every(noNul))) throw bad('options.args', 'an array of strings without NUL characters (e.g. ["-c", "true"])', args);
  if (o['cwd'] !== undefined && (!noNul(o['cwd']) || o['cwd'].length === 0)) throw bad('options.cwd', 'a non-empty directory path', o['cwd']);
  const env = o['env'];
  if (env !== undefined) {
    if (typeof env !== 'object' || env === null || Array.isArray(env)) throw bad('options.env', 'an object of environment variables (e.g. { ...process.env, FOO: "1" })', env);
    for (const [k, v] of Object.entries(env)) {
      if (k.length === 0 || k.includes('=') || k.includes('\0') || (v !== undefined && !noNul(v))) {
        throw bad(`options.env[${JSON.stringify(k)}]`, 'a string without NUL characters (names without "=" or NUL)', v);
      }
    }
  }
  const stdio = o['stdio'];
  if (stdio !== undefined) {
    const ok =
      (typeof stdio === 'string' && STDIO_NAMES.has(stdio)) ||
      (Array.isArray(stdio) &&
        stdio.every((x) => x === null || x === undefined || (typeof x === 'string' && STDIO_ITEMS.has(x)) || (Number.isSafeInteger(x) && (x as number) >= 0) || (typeof x === 'object' && typeof (x as { pipe?: unknown }).pipe === 'function')));
    if (!ok) throw bad('options.stdio', "'pipe', 'ignore', 'inherit', or an array of those, 'ipc', file descriptors, streams or null", stdio);
  }
  if (o['actor'] !== undefined && !isActorRef(o['actor'])) throw bad('options.actor', refExpected('undefined'), o['actor']);
  const fp = o['fingerprint'];
  if (fp !== undefined && fp !== null && typeof fp !== 'string') throw bad('options.fingerprint', 'a string, null or undefined', fp);
}

function killGroup(child: ChildProcess): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}

/**
 * Starts an OS worker the safe way, in this order: reserve (committed), spawn with
 * `ARBOR_RUN_ID` / `ARBOR_WORKER_ID` in its environment and as the leader of a new process
 * group (`detached: true`, so its children can be signalled with it), activate
 * (committed). If any step fails, the child is killed (its whole group) and the entry
 * removed, and the promise rejects: `WorkerAlreadyRegisteredError`, `SpawnFailedError`,
 * `ActivationFailedError`, or the registry's own call error; junk arguments (a missing
 * options object, `command: 5`, `args: '-c true'`, `env: 'x'`, an unknown key) reject with
 * `InvalidOptionError` before anything is reserved. It always settles.
 *
 * @example
 * const { child } = await spawnWorker(registry, { workerId: 'w1', command: process.execPath, args: ['worker.js'], actor: self });
 * child.on('exit', () => registry.unregisterWorker('w1'));
 */
export async function spawnWorker(registry: ProcessRegistryHandle, options: SpawnWorkerOptions): Promise<SpawnedWorker> {
  checkSpawnWorkerArgs(registry, options);
  const { workerId } = options;
  const reserved = await registry.reserveWorker(workerId);
  if (reserved.status === 'worker_id_taken') throw new WorkerAlreadyRegisteredError(workerId);
  let child: ChildProcess | undefined;
  try {
    const env = { ...(options.env ?? process.env), ...(await registry.markers(workerId)) };
    try {
      child = spawn(options.command, options.args ?? [], {
        detached: true,
        env,
        stdio: options.stdio ?? 'ignore',
        ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
      });
    } catch (e) {
      // child_process refused the arguments synchronously (whatever the checks above missed).
      throw new SpawnFailedError(workerId, e instanceof Error ? e.message : String(e), e);
    }
    const started = child;
    await new Promise<void>((resolve, reject) => {
      started.once('spawn', resolve);
      started.once('error', (e) => reject(new SpawnFailedError(workerId, e.message, e)));
    });
    const pid = started.pid!;
    const activated = await registry.activateWorker(workerId, options.actor, pid, options.fingerprint ?? null);
    if (activated.status !== 'active') throw new ActivationFailedError(workerId, activated.status);
    return { child: started, pid, worker: activated.worker };
  } catch (error) {
    if (child !== undefined) killGroup(child);
    await registry.unregisterWorker(workerId).catch(() => undefined);
    throw error;
  }
}
