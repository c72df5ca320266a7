import type { Logger } from 'winston';
import type { Cell } from '../kernel/index.js';
import type { ChildRef } from './ChildRef.js';
import { formatReason } from '../exit/ExitReason.js';
import { logs } from '../log/reports.js';

/** The kinds of supervisor report. */
export type SupervisorReportKind = 'child_started' | 'child_crashed' | 'child_restarted' | 'restart_failed' | 'intensity_reached' | 'shutdown_error';

/**
 * The fixed keys of every supervisor report (winston meta). `child_started` is logged at
 * `debug`, `child_restarted` at `info`, the others at `error`.
 *
 * @example
 * // { report: 'child_crashed', supervisor: 'V1StGXR8_Z5j', supervisorName: 'root', childId: 'db', child: 'Uakgb_J5m9g-', reason: 'Error: boom', restarts: 0 }
 */
export interface SupervisorReport {
  readonly report: SupervisorReportKind;
  /** The supervisor's actor id. */
  readonly supervisor: string;
  readonly supervisorName: string | undefined;
  /** The child spec's id (a dynamic supervisor's children use their actor id). */
  readonly childId: string | undefined;
  /** The child's actor id, when it has one. */
  readonly child: string | undefined;
  readonly reason: string | undefined;
  /** Restarts of this child so far (for intensity_reached: restarts in the window). */
  readonly restarts: number;
}

const MESSAGES: Record<SupervisorReportKind, string> = {
  child_started: 'child started',
  child_crashed: 'child crashed',
  child_restarted: 'child restarted',
  restart_failed: 'child restart failed',
  intensity_reached: 'restart intensity reached: supervisor gives up',
  shutdown_error: 'child did not shut down cleanly',
};

/** Logs one supervisor report. @internal */
export function logSupervisor(
  logger: Logger,
  kind: SupervisorReportKind,
  sup: Cell,
  childId: string | undefined,
  child: ChildRef | undefined,
  reason: unknown,
  restarts: number,
): void {
  const level = kind === 'child_started' ? 'debug' : kind === 'child_restarted' ? 'info' : 'error';
  if (!logs(logger, level)) return;
  const report: SupervisorReport = {
    report: kind,
    supervisor: sup.id,
    supervisorName: sup.name,
    childId,
    child: child?.id,
    reason: reason === undefined ? undefined : formatReason(reason),
    restarts,
  };
  logger.log(level, MESSAGES[kind], report);
}
