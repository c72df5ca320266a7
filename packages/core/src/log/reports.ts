import type { Logger } from 'winston';
import type { Cell } from '../kernel/index.js';
import { formatReason } from '../exit/ExitReason.js';

/**
 * The fixed keys of a crash report: logged at `error` when an actor's own code crashes
 * or it stops with an abnormal reason.
 */
export interface CrashReport {
  readonly report: 'crash_report';
  readonly actor: string;
  readonly name: string | undefined;
  readonly behaviour: string;
  readonly reason: string;
  readonly lastMessage: string;
  readonly stack: string | undefined;
}

/** True when `logger` writes entries of `level` (a silent winston logger writes none). @internal */
export function logs(logger: Logger, level: string): boolean {
  return !logger.silent && logger.isLevelEnabled(level);
}

/** Logs a crash report for `cell`. @internal */
export function logCrash(logger: Logger, cell: Cell, reason: unknown): void {
  // Formatting the stack is most of a crash's cost: skip it when nobody listens.
  if (!logs(logger, 'error')) return;
  const report: CrashReport = {
    report: 'crash_report',
    actor: cell.id,
    name: cell.name,
    behaviour: cell.kind,
    reason: formatReason(reason),
    lastMessage: cell.describeCurrent(),
    stack: reason instanceof Error ? reason.stack : undefined,
  };
  logger.error('actor crashed', report);
}

/** Logs an error thrown by `terminate`. @internal */
export function logTerminateError(logger: Logger, cell: Cell, error: unknown): void {
  if (!logs(logger, 'error')) return;
  logger.error('terminate failed', {
    report: 'terminate_error',
    actor: cell.id,
    name: cell.name,
    behaviour: cell.kind,
    reason: formatReason(error),
    stack: error instanceof Error ? error.stack : undefined,
  });
}
