/**
 * Why an actor exited. As in OTP any value can be a reason; these have meaning:
 * - `'normal'`: finished; links that do not trap exits ignore it.
 * - `'shutdown'` and `{ shutdown: detail }`: asked to stop; not logged as an error.
 * - `'kill'` (sent with `exit(ref, 'kill')`): cannot be trapped; the victim exits with `'killed'`.
 * - `'noproc'`: the actor did not exist (seen in DOWN messages).
 * - anything else (usually an `Error`): a crash.
 */
export type ExitReason = 'normal' | 'shutdown' | ShutdownWith | 'kill' | 'killed' | 'noproc' | Error | (string & {}) | object;

/** `{ shutdown: detail }`: an orderly stop that carries a detail. */
export interface ShutdownWith {
  readonly shutdown: unknown;
}

/**
 * Builds `{ shutdown: detail }`.
 *
 * @example
 * this.stop(shutdownWith('config reloaded'))
 */
export function shutdownWith(detail: unknown): ShutdownWith {
  return Object.freeze({ shutdown: detail });
}

/**
 * True for `normal`, `shutdown` and `{ shutdown: _ }`: the reasons that are not errors,
 * that a transient child is not restarted for, and that are not logged.
 *
 * @example
 * isNormalExit('shutdown') // true
 */
export function isNormalExit(reason: unknown): boolean {
  return reason === 'normal' || reason === 'shutdown' || isShutdownWith(reason);
}

/** True for `{ shutdown: detail }`. */
export function isShutdownWith(reason: unknown): reason is ShutdownWith {
  return typeof reason === 'object' && reason !== null && !(reason instanceof Error) && 'shutdown' in reason && Object.keys(reason).length === 1;
}

/**
 * A short text for logs and error messages.
 *
 * @example
 * formatReason(new Error('boom')) // 'Error: boom'
 */
export function formatReason(reason: unknown): string {
  if (reason instanceof Error) return `${reason.name}: ${reason.message}`;
  if (typeof reason === 'string') return reason;
  try {
    return JSON.stringify(reason) ?? String(reason);
  } catch {
    return String(reason);
  }
}
