import { setTimeout as sleep } from 'node:timers/promises';
import { TimeSlicer } from '../util/TimeSlicer.js';
import { isDeadState, isExiting, procSupported, readMarkers, readProcessStat, scanGroups } from './procfs.js';

/**
 * A process to stop, by identity: the pid, the start time recorded for it, its process
 * group (`pgid === pid` when it leads one, as a worker spawned `detached` does), and the
 * run and worker it belongs to (the markers its environment must carry, see
 * {@link terminateProcesses}).
 *
 * @example
 * const target: KillTarget = { pid: 4242, startTime: 1234567, pgid: 4242, runId: 'V1StGXR8_Z5jdHi6B-myT', workerId: 'w1' };
 */
export interface KillTarget {
  readonly pid: number;
  readonly startTime: number | null;
  readonly pgid: number | null;
  /** The run that spawned it: `ARBOR_RUN_ID` in its environment. */
  readonly runId: string;
  /** The worker it was spawned for: `ARBOR_WORKER_ID` (null: a process found with the run id alone). */
  readonly workerId: string | null;
}

/**
 * What became of one target:
 * - `terminated`: it (and its group) exited after SIGTERM;
 * - `killed`: it needed SIGKILL after the grace period;
 * - `survived`: still alive after SIGKILL and the wait (uninterruptible sleep, or another user's);
 * - `not_running` / `zombie`: already gone or exited-but-unreaped: nothing was signalled;
 * - `pid_reused`: the pid belongs to a process (alive or a zombie) with another start time: never signalled;
 * - `group_not_ours`: the leader has exited and its group still has members, not all of
 *   which carry the target's run and worker markers: nothing was signalled (the group may
 *   be a stranger's that got the id after the pid was reused);
 * - `unverifiable`: no `/proc` on this OS, so the identity cannot be checked: never signalled;
 * - `self`: the target is this Node process, or leads its process group: never signalled.
 *
 * @example
 * if (outcome === 'survived') logger.warn('worker survived SIGKILL', { pid });
 */
export type KillOutcome = 'terminated' | 'killed' | 'survived' | 'not_running' | 'zombie' | 'pid_reused' | 'group_not_ours' | 'unverifiable' | 'self';

/** Bounds of {@link terminateProcesses}. */
export interface TerminateOptions {
  /** Milliseconds between SIGTERM and SIGKILL. */
  readonly graceMs: number;
  /** Milliseconds to wait for the processes to vanish after SIGKILL. */
  readonly killWaitMs?: number;
  /** Slices the checks by time (default: a new {@link TimeSlicer} of the default budget). */
  readonly slicer?: TimeSlicer;
}

type Plan = { readonly signal: 'pid' | 'group' } | { readonly outcome: KillOutcome };
type Groups = Map<number, number[]> | undefined;

/**
 * Whether the process at `pid` carries the target's markers (`ARBOR_RUN_ID` and
 * `ARBOR_WORKER_ID`), or is exiting (its environment is gone with its memory; it is not a
 * zombie yet, but no signal reaches it any more, so it is no member to protect).
 */
function carriesMarkers(pid: number, t: KillTarget): boolean {
  const m = readMarkers(pid);
  if (m !== undefined) return m.runId === t.runId && (m.workerId ?? null) === t.workerId;
  return isExiting(pid);
}

/**
 * Decides, immediately before each signal, what may be signalled (docs/process-registry.md,
 * "When a process group is signalled"). A pid whose process (alive or a zombie) has another
 * start time is a stranger's: nothing is signalled. The pid is signalled only if it is alive
 * with the recorded start time; its group when it leads one and still leads it. When the
 * leader has exited (gone, or its own zombie) and members of its group remain, the group is
 * signalled only if every member carries the target's run and worker markers: a group id
 * outlives its leader, and after the pid was reused a stranger may have made a group of it.
 */
function plan(t: KillTarget, groups: Groups): Plan {
  if (!procSupported || t.startTime === null) return { outcome: 'unverifiable' };
  if (t.pid === process.pid || t.pid === ownGroup()) return { outcome: 'self' };
  const s = readProcessStat(t.pid);
  if (s !== undefined && s.startTime !== t.startTime) return { outcome: 'pid_reused' };
  const leads = t.pgid === t.pid;
  if (s !== undefined && !isDeadState(s.state)) return { signal: leads && s.pgid === t.pid ? 'group' : 'pid' };
  const members = leads ? groups?.get(t.pid) : undefined;
  if (members !== undefined && members.length > 0) {
    return members.every((m) => carriesMarkers(m, t)) ? { signal: 'group' } : { outcome: 'group_not_ours' };
  }
  return { outcome: s === undefined ? 'not_running' : 'zombie' };
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
 * its group when the rule of {@link plan} allows), a bounded wait polling with backoff,
 * SIGKILL to those still there (re-checked), then a bounded wait for them to vanish.
 * Zombies count as exited. The checks are sliced by time (`options.slicer`), so thousands
 * of targets do not stall the event loop. Resolves with one outcome per target, in order;
 * never rejects.
 *
 * @example
 * const [outcome] = await terminateProcesses([{ pid, startTime, pgid: pid, runId, workerId: 'w1' }], { graceMs: 2000 });
 */
export async function terminateProcesses(targets: readonly KillTarget[], options: TerminateOptions): Promise<KillOutcome[]> {
  const slicer = options.slicer ?? new TimeSlicer();
  const anyGroup = targets.some((t) => t.pgid === t.pid);
  const scan = async (): Promise<Groups> => (anyGroup ? await scanGroups(slicer) : undefined);
  let groups = await scan();
  const outcomes: (KillOutcome | undefined)[] = new Array<KillOutcome | undefined>(targets.length);
  for (let i = 0; i < targets.length; i++) {
    if (slicer.due) await slicer.next();
    const p = plan(targets[i]!, groups);
    if ('outcome' in p) outcomes[i] = p.outcome;
    else send(targets[i]!, p.signal, 'SIGTERM');
  }
  // The targets still to wait for. One that may no longer be signalled because a stranger
  // is found where it was (its group's members unmarked, the pid reused) takes that outcome.
  const pending = async (): Promise<number[]> => {
    groups = await scan();
    const left: number[] = [];
    for (let i = 0; i < targets.length; i++) {
      if (outcomes[i] !== undefined) continue;
      if (slicer.due) await slicer.next();
      const p = plan(targets[i]!, groups);
      if ('signal' in p) left.push(i);
      else if (p.outcome === 'group_not_ours' || p.outcome === 'pid_reused') outcomes[i] = p.outcome;
    }
    return left;
  };
  let left = new Set(await waitUntilGone(pending, options.graceMs, slicer));
  for (let i = 0; i < targets.length; i++) if (outcomes[i] === undefined && !left.has(i)) outcomes[i] = 'terminated';
  if (left.size > 0) {
    for (const i of left) {
      if (slicer.due) await slicer.next();
      const p = plan(targets[i]!, groups);
      if ('signal' in p) send(targets[i]!, p.signal, 'SIGKILL');
    }
    left = new Set(await waitUntilGone(pending, options.killWaitMs ?? 1000, slicer));
    for (let i = 0; i < targets.length; i++) if (outcomes[i] === undefined) outcomes[i] = left.has(i) ? 'survived' : 'killed';
  }
  return outcomes as KillOutcome[];
}

async function waitUntilGone(pending: () => Promise<number[]>, boundMs: number, slicer: TimeSlicer): Promise<number[]> {
  const deadline = Date.now() + boundMs;
  let delay = 5;
  let left = await pending();
  while (left.length > 0 && Date.now() < deadline) {
    await sleep(Math.min(delay, Math.max(1, deadline - Date.now())));
    slicer.reset();
    delay = Math.min(delay * 2, 100);
    left = await pending();
  }
  return left;
}
