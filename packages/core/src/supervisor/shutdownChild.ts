import { Cell } from '../actor/Cell.js';
import { DEAD } from '../actor/flags.js';
import { addMonitor, unlink } from '../system/signals.js';
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
 * kill after `shutdown` ms, or `shutdown` and wait forever. @internal
 */
export function shutdownChild(sup: Cell, child: Cell, shutdown: Shutdown): Promise<ChildStopped> {
  unlink(sup, child);
  if ((child.flags & DEAD) !== 0) return Promise.resolve({ reason: child.exitReason, clean: false });
  return new Promise((resolve) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const expected = shutdown === 'brutal_kill' ? 'killed' : 'shutdown';
    addMonitor(({ reason }) => {
      if (timer !== undefined) clearTimeout(timer);
      resolve({ reason, clean: reason === expected });
    }, child);
    if (shutdown === 'brutal_kill') {
      child.receiveExit(sup, 'kill', false);
      return;
    }
    child.receiveExit(sup, 'shutdown', false);
    if (shutdown !== 'infinity' && (child.flags & DEAD) === 0) timer = setTimeout(() => child.receiveExit(sup, 'kill', false), shutdown);
  });
}

/**
 * Stops many children at once (a dynamic supervisor's shutdown): every child is signalled
 * now, and one timer, set to the longest shutdown, kills those left. Resolves with each
 * child's outcome, in the order given. @internal
 */
export function shutdownAll(sup: Cell, children: readonly { readonly cell: Cell; readonly shutdown: Shutdown }[]): Promise<ChildStopped[]> {
  const out: ChildStopped[] = new Array(children.length);
  let left = 0;
  let longest = 0;
  for (const c of children) {
    if (c.shutdown === 'infinity') longest = Infinity;
    else if (typeof c.shutdown === 'number' && c.shutdown > longest) longest = c.shutdown;
  }
  return new Promise((resolve) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let signalled = false;
    const done = (): void => {
      if (timer !== undefined) clearTimeout(timer);
      resolve(out);
    };
    for (let i = 0; i < children.length; i++) {
      const { cell, shutdown } = children[i]!;
      unlink(sup, cell);
      if ((cell.flags & DEAD) !== 0) {
        out[i] = { reason: cell.exitReason, clean: false };
        continue;
      }
      left++;
      const expected = shutdown === 'brutal_kill' ? 'killed' : 'shutdown';
      addMonitor(({ reason }) => {
        out[i] = { reason, clean: reason === expected };
        if (--left === 0 && signalled) done();
      }, cell);
      cell.receiveExit(sup, shutdown === 'brutal_kill' ? 'kill' : 'shutdown', false);
    }
    signalled = true;
    if (left === 0) {
      done();
      return;
    }
    if (longest !== Infinity) {
      timer = setTimeout(() => {
        for (const { cell } of children) if ((cell.flags & DEAD) === 0) cell.receiveExit(sup, 'kill', false);
      }, longest);
    }
  });
}
