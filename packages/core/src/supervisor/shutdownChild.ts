import { type Cell, exitReasonOf, isCell } from '../kernel/index.js';
import { type ChildRef, exitChild, isChildDead, monitorChild, unlinkChild } from './ChildRef.js';
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
export function shutdownChild(sup: Cell, child: ChildRef, shutdown: Shutdown): Promise<ChildStopped> {
  unlinkChild(sup, child);
  if (isCell(child) && isChildDead(child)) return Promise.resolve({ reason: exitReasonOf(child), clean: false });
  return new Promise((resolve) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const expected = shutdown === 'brutal_kill' ? 'killed' : 'shutdown';
    monitorChild(sup, child, (reason) => {
      if (timer !== undefined) clearTimeout(timer);
      resolve({ reason, clean: reason === expected });
    });
    if (shutdown === 'brutal_kill') {
      exitChild(sup, child, 'kill');
      return;
    }
    exitChild(sup, child, 'shutdown');
    if (shutdown === 0) {
      // OTP's `after 0`: a trapping child has not handled the signal yet, so it is killed
      // before its terminate runs.
      exitChild(sup, child, 'kill');
      return;
    }
    if (shutdown !== 'infinity' && !isChildDead(child)) timer = setTimeout(() => exitChild(sup, child, 'kill'), shutdown);
  });
}

/**
 * Stops many children at once (a dynamic supervisor's shutdown): every child is signalled
 * now, and one timer per distinct shutdown time (one in all when the children share a
 * spec, as in OTP; Elixir's rule when they do not) kills those of that time still alive,
 * so each child gets its own shutdown, no more. Resolves with each child's outcome, in the
 * order given. @internal
 */
export function shutdownAll(sup: Cell, children: readonly { readonly cell: ChildRef; readonly shutdown: Shutdown }[]): Promise<ChildStopped[]> {
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
    const byTime = new Map<number, ChildRef[]>();
    for (let i = 0; i < children.length; i++) {
      const { cell, shutdown } = children[i]!;
      unlinkChild(sup, cell);
      if (isCell(cell) && isChildDead(cell)) {
        out[i] = { reason: exitReasonOf(cell), clean: false };
        continue;
      }
      left++;
      const expected = shutdown === 'brutal_kill' ? 'killed' : 'shutdown';
      monitorChild(sup, cell, (reason) => {
        out[i] = { reason, clean: reason === expected };
        if (--left === 0 && signalled) done();
      });
      exitChild(sup, cell, shutdown === 'brutal_kill' ? 'kill' : 'shutdown');
      if (shutdown === 0) exitChild(sup, cell, 'kill'); // killed before its terminate runs
      else if (typeof shutdown === 'number' && !isChildDead(cell)) {
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
          for (const cell of cells) if (!isChildDead(cell)) exitChild(sup, cell, 'kill');
        }, ms),
      );
    }
  });
}
