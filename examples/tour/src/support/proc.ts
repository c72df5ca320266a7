import { readFileSync } from 'node:fs';

/**
 * Whether a pid runs, from /proc/PID/stat: a zombie (exited, not yet reaped by whoever
 * adopted it) does not. The scenes check with it that no worker process is left.
 *
 * @example
 * if (alive(pid)) console.log(`${pid} still runs`);
 */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/**
 * Polls `cond` every 20 ms, up to `timeoutMs`; throws `the <scene> scene timed out waiting
 * for <what>` if it never holds.
 *
 * @example
 * await waitFor('pools', 'the manager to restart', () => pool.manager !== undefined);
 */
export async function waitFor(scene: string, what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`the ${scene} scene timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
