import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { existsSync } from 'node:fs';
import { isActorRef, type ActorRef, type ActorSystem } from '@arbor/core';
import { ProcessRegistry, ProcessRegistryHandle, type ProcessRegistryProtocol } from '@arbor/process-registry';
import type { StartContext } from '../contract/WorkerProfile.js';

/** Where `setpriv` lives; when it exists, OS workers are spawned under `setpriv --pdeathsig KILL`. */
export const SETPRIV_PATH = '/usr/bin/setpriv';
/** Where `prlimit` lives (util-linux), used for `addressSpaceLimitBytes`. */
export const PRLIMIT_PATH = '/usr/bin/prlimit';
/** The name under which a process profile looks for the process registry when none is given. */
export const DEFAULT_REGISTRY_NAME = 'process-registry';

let setprivPresent: boolean | undefined;
/**
 * Whether `/usr/bin/setpriv` exists (checked once): when it does, {@link spawnOsWorker}
 * runs workers under `setpriv --pdeathsig KILL` by default.
 *
 * @example
 * if (!hasSetpriv()) console.warn('workers may outlive a SIGKILLed parent (no setpriv)');
 */
export function hasSetpriv(): boolean {
  return (setprivPresent ??= process.platform === 'linux' && existsSync(SETPRIV_PATH));
}

/**
 * The process registry option of every OS-process profile: a handle, a ref, or a local name
 * (default `process-registry`); see {@link resolveRegistry}.
 *
 * @example
 * const registry: RegistryOption = await ProcessRegistry.start(system, { name: 'process-registry' });
 */
export type RegistryOption = ProcessRegistryHandle | ActorRef<ProcessRegistryProtocol> | string;

/**
 * Finds the profile's process registry: the given handle or ref, or the actor registered
 * under the given name (default `process-registry`). Undefined when there is none (a
 * profile then fails its start with `WorkerStartError`).
 *
 * @example
 * const registry = resolveRegistry(ctx.system, options.registry);
 * if (registry === undefined) throw new WorkerStartError({ workerId: ctx.workerId, kind: 'mine', at: Date.now(), reason: 'startup_failed', detail: 'no process registry is running' });
 */
export function resolveRegistry(system: ActorSystem, option: RegistryOption | undefined): ProcessRegistryHandle | undefined {
  if (option instanceof ProcessRegistryHandle) return option;
  if (isActorRef(option)) return ProcessRegistry.of(option as ActorRef<ProcessRegistryProtocol>);
  const ref = system.whereis<ProcessRegistryProtocol>(typeof option === 'string' ? option : DEFAULT_REGISTRY_NAME);
  return ref === undefined ? undefined : ProcessRegistry.of(ref);
}

/**
 * What {@link spawnOsWorker} starts: the command line, its environment and stdio, and the
 * wrappers (`setpriv --pdeathsig KILL`, `prlimit --as`).
 *
 * @example
 * const spec: OsSpawn = { command: '/usr/bin/python3', args: ['worker.py'], stdio: ['pipe', 'pipe', 'inherit'] };
 */
export interface OsSpawn {
  readonly command: string;
  readonly args: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  readonly stdio: StdioOptions;
  readonly serialization?: 'json' | 'advanced';
  /** Spawn under `setpriv --pdeathsig KILL` (default: when setpriv exists). */
  readonly pdeathsig?: boolean;
  /** A hard address-space cap (`prlimit --as=BYTES`), for non-Node children. */
  readonly addressSpaceLimitBytes?: number;
  readonly fingerprint?: string | null;
}

/**
 * A spawned, reserved (not yet active) OS worker: the child, the command line actually
 * run, and the two registry steps left to its profile: `activate()` at READY and
 * `release()` once the process is gone.
 *
 * @example
 * const proc = await spawnOsWorker(ctx, registry, spec);
 * proc.child.once('close', () => void proc.release());
 */
export interface OsWorkerProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** The argv actually run (with the setpriv / prlimit wrappers). */
  readonly argv: readonly string[];
  readonly pdeathsig: boolean;
  /** Records the worker active (pid + start time); false when the registry refused (the process died). */
  activate(): Promise<boolean>;
  /** Removes the entry (terminating if the process still lives); never rejects. */
  release(): Promise<void>;
}

/**
 * Spawns an OS worker the safe way: reserve its id in the process registry (committed), spawn
 * it with the registry's markers in its environment, as the leader of its own process group,
 * under `setpriv --pdeathsig KILL` where setpriv exists (the kernel SIGKILLs it when this
 * process dies, even while it is busy), and under `prlimit --as` when a hard cap is asked.
 * Rejects with the spawn error (after unregistering) when the command cannot start.
 * The profile then owns the process: `activate()` it at READY (false: the registry saw it
 * die), kill its group with {@link signalGroup}, and `release()` it once it is gone.
 *
 * @example
 * const proc = await spawnOsWorker(ctx, registry, { command: 'ruby', args: ['worker.rb'], stdio: ['pipe', 'pipe', 'inherit'] });
 */
export async function spawnOsWorker(ctx: StartContext, registry: ProcessRegistryHandle, spec: OsSpawn): Promise<OsWorkerProcess> {
  const { workerId } = ctx;
  const reserved = await registry.reserveWorker(workerId);
  if (reserved.status !== 'reserved') throw new Error(`worker id ${JSON.stringify(workerId)} is already registered in this run`);
  const release = () => registry.unregisterWorker(workerId).then(() => undefined, () => undefined);
  const pdeathsig = spec.pdeathsig ?? hasSetpriv();
  const argv: string[] = [];
  if (pdeathsig) argv.push(SETPRIV_PATH, '--pdeathsig', 'KILL', '--');
  if (spec.addressSpaceLimitBytes !== undefined) argv.push(PRLIMIT_PATH, `--as=${spec.addressSpaceLimitBytes}`, '--');
  argv.push(spec.command, ...spec.args);
  let child: ChildProcess;
  try {
    const env = { ...(spec.env ?? process.env), ...(await registry.markers(workerId)) };
    child = spawn(argv[0]!, argv.slice(1), {
      detached: true,
      env,
      stdio: spec.stdio,
      ...(spec.serialization !== undefined ? { serialization: spec.serialization } : {}),
      ...(spec.cwd !== undefined ? { cwd: spec.cwd } : {}),
    });
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });
  } catch (error) {
    await release();
    throw error;
  }
  const pid = child.pid!;
  return {
    child,
    pid,
    argv,
    pdeathsig,
    activate: async () => (await registry.activateWorker(workerId, ctx.actor, pid, spec.fingerprint ?? null)).status === 'active',
    release,
  };
}

/**
 * Sends `signal` to the worker's process group (it leads one: it was spawned detached), or
 * to the process alone if the group is gone. Never throws. Send it only while the
 * process has not been reaped (before its `exit` event): a reaped pid may be reused.
 *
 * @example
 * signalGroup(proc.pid, 'SIGKILL'); // the child's 'exit' reports it
 */
export function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      /* already gone */
    }
  }
}
