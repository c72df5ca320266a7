import { readFileSync } from 'node:fs';

/**
 * Whether `pid` is a live process, from /proc/PID/stat (a zombie or a dead process is not):
 * the leak checks of the test files that start OS processes.
 *
 * @example
 * t.false(isAlive(worker.pid!), 'the worker process is gone');
 */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}
