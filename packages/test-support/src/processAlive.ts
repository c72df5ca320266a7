import { readFileSync } from 'node:fs';

/**
 * Whether `pid` is a live process, from /proc/PID/stat (a zombie or a dead process is not):
 * the leak checks of the test files that start OS processes.
 *
 * @example
 * t.false(isAlive(worker.pid!), 'the worker process is gone');
 */
export function isAlive(pid: number): boolean {
  const state = stateOf(pid);
  return state !== undefined && state !== 'Z' && state !== 'X';
}

/**
 * Whether `pid` is stopped (SIGSTOP, state `T` in /proc/PID/stat). `kill(pid, 'SIGSTOP')`
 * returns before the process has stopped; a test that needs it frozen waits for this.
 *
 * @example
 * server.signal('SIGSTOP');
 * t.true(await eventually(() => isStopped(server.pid), 5000), 'the server is frozen');
 */
export function isStopped(pid: number): boolean {
  const state = stateOf(pid);
  return state === 'T' || state === 't';
}

/** The one-letter state of `pid` from /proc/PID/stat, undefined when there is no such process. */
function stateOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  } catch {
    return undefined;
  }
}
