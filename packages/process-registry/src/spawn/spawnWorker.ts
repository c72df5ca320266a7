import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import type { ActorRef } from '@arbor/core';
import { ActivationFailedError, SpawnFailedError, WorkerAlreadyRegisteredError } from '../registry/errors.js';
import type { ProcessRegistryHandle } from '../registry/ProcessRegistryHandle.js';
import type { WorkerInfo } from '../registry/protocol.js';

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
 * `ActivationFailedError`, or the registry's own call error. It always settles.
 *
 * @example
 * const { child } = await spawnWorker(registry, { workerId: 'w1', command: process.execPath, args: ['worker.js'], actor: self });
 * child.on('exit', () => registry.unregisterWorker('w1'));
 */
export async function spawnWorker(registry: ProcessRegistryHandle, options: SpawnWorkerOptions): Promise<SpawnedWorker> {
  const { workerId } = options;
  const reserved = await registry.reserveWorker(workerId);
  if (reserved.status === 'already_registered') throw new WorkerAlreadyRegisteredError(workerId);
  let child: ChildProcess | undefined;
  try {
    const env = { ...(options.env ?? process.env), ...(await registry.markers(workerId)) };
    child = spawn(options.command, options.args ?? [], {
      detached: true,
      env,
      stdio: options.stdio ?? 'ignore',
      ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
    });
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
