/**
 * The OS processes the worker workloads start, tracked so the bench (and its smoke test) can
 * check that every one is gone at the end: `/proc/<pid>` absent, or at least not a live
 * process (a zombie means nobody reaped it, and counts as left behind).
 */
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

const started = new Set<number>();

/**
 * Records a child process's pid (once it has one).
 *
 * @example
 * trackChild(spawn('python3', [PYTHON_ECHO]));
 */
export function trackChild(child: ChildProcess): void {
  if (child.pid !== undefined) started.add(child.pid);
  else child.once('spawn', () => child.pid !== undefined && started.add(child.pid));
}

/**
 * Records a worker's pid reported some other way (Arbor's handle metadata).
 *
 * @example
 * trackPid((await handle.metadata()).pid);
 */
export function trackPid(pid: number | undefined): void {
  if (pid !== undefined && pid > 0) started.add(pid);
}

/**
 * Every pid the worker workloads started so far.
 *
 * @example
 * for (const pid of startedPids()) console.log(pid);
 */
export function startedPids(): readonly number[] {
  return [...started];
}

/**
 * The started pids still present (alive or zombie). Only a pid whose parent is still this
 * process counts, so a pid the kernel reused for someone else's process is not reported.
 *
 * @example
 * assert.deepEqual(leftoverPids(), []);
 */
export function leftoverPids(): number[] {
  if (process.platform !== 'linux') return [];
  return startedPids().filter((pid) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      return ppid === process.pid;
    } catch {
      return false;
    }
  });
}
