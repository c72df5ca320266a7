import { addMonitor, type Cell, exitReasonOf, isDead, sendExit, unlink } from '../kernel/index.js';
import type { Shutdown } from './ChildSpec.js';

/** The outcome of stopping a child: the reason it exited with, and whether that was the expected one. @internal */
export interface ChildStopped {
  readonly reason: unknown;
  /** False when the child exited with something else than `shutdown` (or `killed` for brutal_kill). */
  readonly clean: boolean;
}

/**
 * Stops one child as OTP's supervisor does: unlink, monitor (so a child that unlinked
 * itself cannot hang the supervisor), then `kill` for brutal_kill, or `shutdown` and a
 * kill after `shutdown` ms (at once for 0: a trapping child's terminate does not run), or
 * `shutdown` and wait forever. @internal
 */
export function shutdownChild(sup: Cell, child: Cell, shutdown: Shutdown): Promise<ChildStopped> {
  unlink(sup, child);
  if (isDead(child)) return Promise.resolve({ reason: exitReasonOf(child), clean: false });
  return new Promise((resolve) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const expected = shutdown === 'brutal_kill' ? 'killed' : 'shutdown';
    addMonitor(({ reason }) => {
      if (timer !== undefined) clearTimeout(timer);
      resolve({ reason, clean: reason === expected });
    }, child);
    if (shutdown === 'brutal_kill') {
      sendExit(sup, child, 'kill');
      return;
    }
    sendExit(sup, child, 'shutdown');
    if (shutdown === 0) {
      // OTP's `after 0`: a trapping child has not handled the signal yet, so it is killed
      // before its terminate runs.
      sendExit(sup, child, 'kill');
      return;
    }
    if (shutdown !== 'infinity' && !isDead(child)) timer = setTimeout(() => sendExit(sup, child, 'kill'), shutdown);
  });
}

/**
 * Stops many children at once (a dynamic supervisor's shutdown): every child is signalled
 * now, and one timer per distinct shutdown time (one in all when the children share a
 * spec, as in OTP; Elixir's rule when they do not) kills those of that time still alive,
 * so each child gets its own shutdown, no more. Resolves with each child's outcome, in the
 * order given. @internal
 */
export function shutdownAll(sup: Cell, children: readonly { readonly cell: Cell; readonly shutdown: Shutdown }[]): Promise<ChildStopped[]> {
  const out: ChildStopped[] = new Array(children.length);
  let left = 0;
  return new Promise((resolve) => {
    const timers: ReturnType<typeof setTimeout>[] = [];
    let signalled = false;
    const done = (): void => {
      for (const timer of timers) clearTimeout(timer);
      resolve(out);
    };
    /** Children still to kill, by shutdown time. */
    const byTime = new Map<number, Cell[]>();
    for (let i = 0; i < children.length; i++) {
      const { cell, shutdown } = children[i]!;
      unlink(sup, cell);
      if (isDead(cell)) {
        out[i] = { reason: exitReasonOf(cell), clean: false };
        continue;
      }
      left++;
      const expected = shutdown === 'brutal_kill' ? 'killed' : 'shutdown';
      addMonitor(({ reason }) => {
        out[i] = { reason, clean: reason === expected };
        if (--left === 0 && signalled) done();
      }, cell);
      sendExit(sup, cell, shutdown === 'brutal_kill' ? 'kill' : 'shutdown');
      if (shutdown === 0) sendExit(sup, cell, 'kill'); // killed before its terminate runs
      else if (typeof shutdown === 'number' && !isDead(cell)) {
        const group = byTime.get(shutdown);
        if (group === undefined) byTime.set(shutdown, [cell]);
        else group.push(cell);
      }
    }
    signalled = true;
    if (left === 0) {
      done();
      return;
    }
    for (const [ms, cells] of byTime) {
      timers.push(
        setTimeout(() => {
          for (const cell of cells) if (!isDead(cell)) sendExit(sup, cell, 'kill');
        }, ms),
      );
    }
  });
}
