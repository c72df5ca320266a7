import type { Logger } from 'winston';
import { CallDeadlines, type Cell, type Host, hostOf, LiveCells, Scheduler, type SchedulerOptions } from '../kernel/index.js';
import { logCrash, logTerminateError } from '../log/reports.js';
import type { NameProvider } from '../names/NameProvider.js';
import type { ActorSystem } from './ActorSystem.js';
import { LocalNames } from './LocalNames.js';

/**
 * What an `ActorSystem` keeps behind its public methods: the kernel's host (run queue,
 * call deadlines, logger, exit callbacks), the live list, the local names and the name
 * providers. The facade holds one in a `#` field; the start protocol and the behaviour
 * layer reach it from a cell with {@link coreOf}. @internal
 *
 * @example
 * const core = new SystemCore(system, 'arbor', logger, {});
 * core.live.size; // 0
 */
export class SystemCore implements Host {
  readonly scheduler: Scheduler;
  readonly deadlines = new CallDeadlines();
  readonly live = new LiveCells();
  readonly names = new LocalNames();
  /** Registries that name actors in this system (read by the dump). */
  readonly nameProviders = new Set<NameProvider>();
  stopped = false;

  constructor(
    readonly facade: ActorSystem,
    readonly name: string,
    readonly logger: Logger,
    scheduler: SchedulerOptions,
  ) {
    this.scheduler = new Scheduler(scheduler);
  }

  forget(cell: Cell): void {
    this.live.remove(cell);
    this.names.release(cell);
  }

  reportCrash(cell: Cell, reason: unknown): void {
    logCrash(this.logger, cell, reason);
  }

  reportTerminateError(cell: Cell, error: unknown): void {
    logTerminateError(this.logger, cell, error);
  }
}

/** The system core a cell runs in (every host is one: only `ActorSystem` makes hosts). @internal */
export function coreOf(cell: Cell): SystemCore {
  return hostOf(cell) as SystemCore;
}

/** The public system a cell runs in. @internal */
export function systemOf(cell: Cell): ActorSystem {
  return (hostOf(cell) as SystemCore).facade;
}
