import { constants as osConstants } from 'node:os';
import { type ActorRef, type Cell, parentOf } from '../kernel/index.js';
import { InvalidOptionError } from '../errors/errors.js';
import { formatReason, type ExitReason } from '../exit/ExitReason.js';
import { ActorSystem } from '../system/ActorSystem.js';
import type { SpawnOptions } from '../system/SpawnOptions.js';
import { checkOptions } from '../validation/options.js';
import { checkSystem } from '../validation/system.js';
import { checkTimeout } from '../validation/timeout.js';
import type { SupervisorProtocol } from '../supervisor/protocol.js';
import { Supervisor } from '../supervisor/Supervisor.js';
import type { SupervisorDef } from '../supervisor/SupervisorFlags.js';

/**
 * Options of {@link startApplication}.
 *
 * @example
 * { name: 'shop', shutdownTimeout: 10_000, signals: ['SIGINT', 'SIGTERM'] }
 */
export interface ApplicationOptions {
  /** The system to run in (default: a new one named after the application). */
  readonly system?: ActorSystem;
  /** A name for logs, and the root supervisor's local name (default `"app"`). */
  readonly name?: string;
  /** Signals that stop the application in order (default SIGINT and SIGTERM); `false` for none. */
  readonly signals?: readonly NodeJS.Signals[] | false;
  /** The bound on the whole shutdown, in ms (default 30000): past it, the tree is killed. */
  readonly shutdownTimeout?: number;
  /** After a signal-triggered stop, exit the process (0 if the tree stopped in time, 1 if not). Default true. */
  readonly exitProcess?: boolean;
  /** Spawn options of the root supervisor (besides its name). */
  readonly spawn?: Omit<SpawnOptions, 'name'>;
}

/** How a stop went: the tree stopped in order within the bound, or had to be killed. */
export type ApplicationStopResult = 'stopped' | 'killed';

/** A running application: its root supervisor, and how to stop it. */
export interface Application {
  readonly name: string;
  readonly system: ActorSystem;
  /** The root supervisor. */
  readonly root: ActorRef<SupervisorProtocol>;
  /**
   * Stops the tree in order (children in reverse start order, each by its shutdown spec),
   * killing it if that takes longer than `shutdownTimeout`. Idempotent.
   */
  stop(): Promise<ApplicationStopResult>;
  /** Resolves with the root's exit reason when the tree is gone, stopped or given up. */
  readonly exited: Promise<ExitReason>;
}

/**
 * Starts an application: a root supervisor from `def`, stopped in order on SIGINT/SIGTERM
 * (or on `stop()`) within a bounded time. If the root gives up by itself (restart
 * intensity reached), `exited` resolves, an `application_stopped` report is logged, and
 * the process exit code is set to 1.
 *
 * @example
 * const app = await startApplication({ strategy: 'one_for_one', children: [childSpec(Api, 8080)] }, { name: 'shop' });
 * // Ctrl-C stops the tree in order; or: await app.stop();
 */
export async function startApplication(def: SupervisorDef, options: ApplicationOptions = {}): Promise<Application> {
  checkOptions('options', options as ApplicationOptions | undefined, '{ system?, name?, signals?, shutdownTimeout?, exitProcess?, spawn? }');
  const name = options.name === undefined ? 'app' : options.name;
  if (typeof name !== 'string' || name === '') throw new InvalidOptionError('options.name', 'a non-empty string', name);
  const shutdownTimeout = options.shutdownTimeout === undefined ? 30_000 : checkTimeout('options.shutdownTimeout', options.shutdownTimeout);
  const signals = options.signals === undefined ? (['SIGINT', 'SIGTERM'] as const) : options.signals;
  if (signals !== false && (!Array.isArray(signals) || !signals.every((s) => typeof s === 'string' && Object.hasOwn(osConstants.signals, s)))) {
    throw new InvalidOptionError('options.signals', "an array of signal names (such as 'SIGINT') or false", signals);
  }
  const exitProcess = options.exitProcess === undefined ? true : options.exitProcess;
  if (typeof exitProcess !== 'boolean') throw new InvalidOptionError('options.exitProcess', 'a boolean', exitProcess);
  if (options.system !== undefined) checkSystem('options.system', options.system);
  checkOptions('options.spawn', options.spawn, '{ mailbox?, trapExit? }');
  const ownSystem = options.system === undefined;
  const system = options.system ?? new ActorSystem({ name });

  let root: ActorRef<SupervisorProtocol>;
  try {
    root = await Supervisor.start(system, def, { ...options.spawn, name });
  } catch (e) {
    if (ownSystem) await system.shutdown({ timeout: shutdownTimeout });
    throw e;
  }

  let stopping: Promise<ApplicationStopResult> | null = null;
  let resolveExited!: (reason: ExitReason) => void;
  const exited = new Promise<ExitReason>((r) => (resolveExited = r));
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping !== null) {
      // A second signal: do not wait any longer.
      system.logger.warn('second signal: killing the tree', { report: 'application_kill', application: name, signal });
      killTree(system, root as unknown as Cell);
      return;
    }
    system.logger.info('signal received: stopping', { report: 'application_signal', application: name, signal });
    void stop().then((how) => {
      if (exitProcess) process.exit(how === 'stopped' ? 0 : 1);
    });
  };
  const detach = (): void => {
    if (signals !== false) for (const s of signals) process.off(s, onSignal);
  };
  if (signals !== false) for (const s of signals) process.on(s, onSignal);

  system.monitor(root, ({ reason }) => {
    detach();
    if (stopping === null) {
      // The root gave up (or was killed) on its own.
      system.logger.error('application stopped', { report: 'application_stopped', application: name, reason: formatReason(reason) });
      process.exitCode = 1;
    }
    resolveExited(reason);
  });

  function stop(): Promise<ApplicationStopResult> {
    if (stopping !== null) return stopping;
    stopping = (async (): Promise<ApplicationStopResult> => {
      let how: ApplicationStopResult = 'stopped';
      if (system.isAlive(root)) {
        try {
          await system.stop(root, 'shutdown', { timeout: shutdownTimeout });
        } catch {
          how = 'killed';
          system.logger.error('shutdown timed out: killing the tree', { report: 'application_shutdown_timeout', application: name, timeout: shutdownTimeout });
          killTree(system, root as unknown as Cell);
        }
      }
      await exited;
      if (ownSystem) await system.shutdown({ timeout: Math.min(1000, shutdownTimeout) });
      detach();
      return how;
    })();
    return stopping;
  }

  return { name, system, root, stop, exited };
}

/**
 * Kills `root` and every live actor started below it (by parent), including subtrees a
 * supervisor had already unlinked while stopping them, so the bound holds for the whole tree.
 */
function killTree(system: ActorSystem, root: Cell): void {
  const inTree = new Map<Cell, boolean>([[root, true]]);
  const below = (c: Cell): boolean => {
    const known = inTree.get(c);
    if (known !== undefined) return known;
    const parent = parentOf(c);
    const r = parent !== null && below(parent);
    inTree.set(c, r);
    return r;
  };
  const victims = (system.actors() as Cell[]).filter(below);
  system.exit(root, 'kill');
  for (const c of victims) system.exit(c, 'kill');
}
