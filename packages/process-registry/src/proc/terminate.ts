import { setTimeout as sleep } from 'node:timers/promises';
import { isDeadState, listPids, processStatus, procSupported, readProcessStat } from './procfs.js';

/**
 * A process to stop, by identity: the pid, the start time recorded for it, and its process
 * group (`pgid === pid` when it leads one, as a worker spawned `detached` does).
 *
 * @example
 * const target: KillTarget = { pid: 4242, startTime: 1234567, pgid: 4242 };
 */
export interface KillTarget {
  readonly pid: number;
  readonly startTime: number | null;
  readonly pgid: number | null;
}

/**
 * What became of one target:
 * - `terminated`: it (and its group) exited after SIGTERM;
 * - `killed`: it needed SIGKILL after the grace period;
 * - `survived`: still alive after SIGKILL and the wait (uninterruptible sleep, or another user's);
 * - `not_running` / `zombie`: already gone or exited-but-unreaped: nothing was signalled;
 * - `pid_reused`: the pid belongs to a process with another start time: never signalled;
 * - `unverifiable`: no `/proc` on this OS, so the identity cannot be checked: never signalled;
 * - `self`: the target is this Node process, or leads its process group: never signalled.
 *
 * @example
 * if (outcome === 'survived') logger.warn('worker survived SIGKILL', { pid });
 */
export type KillOutcome = 'terminated' | 'killed' | 'survived' | 'not_running' | 'zombie' | 'pid_reused' | 'unverifiable' | 'self';

/** Bounds of {@link terminateProcesses}. */
export interface TerminateOptions {
  /** Milliseconds between SIGTERM and SIGKILL. */
  readonly graceMs: number;
  /** Milliseconds to wait for the processes to vanish after SIGKILL. */
  readonly killWaitMs?: number;
}

type Plan = { readonly signal: 'pid' | 'group' } | { readonly outcome: KillOutcome };

/** Live (non-zombie) process-group sizes, from one scan of /proc. */
function liveGroups(): Map<number, number> {
  const groups = new Map<number, number>();
  for (const pid of listPids()) {
    const s = readProcessStat(pid);
    if (s !== undefined && !isDeadState(s.state)) groups.set(s.pgid, (groups.get(s.pgid) ?? 0) + 1);
  }
  return groups;
}

/**
 * Decides, immediately before each signal, what may be signalled. The pid only if it is
 * alive with the recorded start time; the group when the target leads one and either the
 * leader is that same process, or the leader has exited (gone or zombie) while members
 * remain: no new group with that id can exist while the old one has members, so they are
 * ours. A pid held by a stranger (`reused`) is never signalled, nor its group.
 */
function plan(t: KillTarget, groups: Map<number, number> | undefined): Plan {
  if (!procSupported || t.startTime === null) return { outcome: 'unverifiable' };
  if (t.pid === process.pid || t.pid === ownGroup()) return { outcome: 'self' };
  const status = processStatus(t.pid, t.startTime);
  const leads = t.pgid === t.pid;
  if (status === 'reused') return { outcome: 'pid_reused' };
  if (status === 'running') return { signal: leads ? 'group' : 'pid' };
  if (leads && (groups?.get(t.pid) ?? 0) > 0) return { signal: 'group' };
  return { outcome: status === 'zombie' ? 'zombie' : 'not_running' };
}

let ownPgid: number | undefined;
function ownGroup(): number | undefined {
  ownPgid ??= readProcessStat(process.pid)?.pgid;
  return ownPgid;
}

function send(t: KillTarget, how: 'pid' | 'group', signal: NodeJS.Signals): void {
  try {
    process.kill(how === 'group' ? -t.pid : t.pid, signal);
  } catch {
    // ESRCH: it exited meanwhile, which is what we want. EPERM: reported as survived.
  }
}

/**
 * Stops processes safely: SIGTERM to each target that is still the recorded process (to
 * its group when it leads one), a bounded wait polling with backoff, SIGKILL to those
 * still there, then a bounded wait for them to vanish. Zombies count as exited. Resolves
 * with one outcome per target, in order; never rejects.
 *
 * @example
 * const [outcome] = await terminateProcesses([{ pid, startTime, pgid: pid }], { graceMs: 2000 });
 */
export async function terminateProcesses(targets: readonly KillTarget[], options: TerminateOptions): Promise<KillOutcome[]> {
  const anyGroup = targets.some((t) => t.pgid === t.pid);
  let groups = anyGroup ? liveGroups() : undefined;
  const outcomes: (KillOutcome | undefined)[] = targets.map((t) => {
    const p = plan(t, groups);
    if ('outcome' in p) return p.outcome;
    send(t, p.signal, 'SIGTERM');
    return undefined;
  });
  const pending = (): number[] => {
    groups = anyGroup ? liveGroups() : undefined;
    const left: number[] = [];
    outcomes.forEach((o, i) => {
      if (o !== undefined) return;
      if ('signal' in plan(targets[i]!, groups)) left.push(i);
    });
    return left;
  };
  let left = await waitUntilGone(pending, options.graceMs);
  for (const i of outcomes.keys()) if (outcomes[i] === undefined && !left.includes(i)) outcomes[i] = 'terminated';
  if (left.length > 0) {
    for (const i of left) {
      const p = plan(targets[i]!, groups);
      if ('signal' in p) send(targets[i]!, p.signal, 'SIGKILL');
    }
    left = await waitUntilGone(pending, options.killWaitMs ?? 1000);
    for (const i of outcomes.keys()) if (outcomes[i] === undefined) outcomes[i] = left.includes(i) ? 'survived' : 'killed';
  }
  return outcomes as KillOutcome[];
}

async function waitUntilGone(pending: () => number[], boundMs: number): Promise<number[]> {
  const deadline = Date.now() + boundMs;
  let delay = 5;
  let left = pending();
  while (left.length > 0 && Date.now() < deadline) {
    await sleep(Math.min(delay, Math.max(1, deadline - Date.now())));
    delay = Math.min(delay * 2, 100);
    left = pending();
  }
  return left;
}
