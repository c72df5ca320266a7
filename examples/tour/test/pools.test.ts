import { existsSync, readFileSync } from 'node:fs';
import test from 'ava';
import { runPools, type PoolsSummary } from '../src/pools/pools.js';

const lines: string[] = [];
let summary: PoolsSummary;

test.before(async () => {
  summary = await runPools((line) => lines.push(line), { logLevel: 'silent' });
});

test('0. the pools tree is a child of the application (Pools.childSpec), after the process registry; two named pools start', (t) => {
  t.deepEqual(summary.rootChildren, ['process-registry', 'pools']);
  t.deepEqual(summary.started, { clerks: 'started', py: 'started', clerksAgain: 'already_started' });
  t.deepEqual(summary.namesAtStart, ['clerks', 'py']);
});

test('1a. actor pool: transactions check the worker back in (lifo: the same clerk serves again), a full pool answers full or times out', (t) => {
  t.deepEqual(
    summary.clerkReplies.map((r) => [r.customer, r.served]),
    [
      ['alice', 1],
      ['bob', 2],
    ],
  );
  t.is(summary.clerkReplies[0]!.clerk, summary.clerkReplies[1]!.clerk);
  t.like(summary.clerksFull, { state: 'full', idle: 0, checkedOut: 2, waiting: 0 });
  t.is(summary.clerksNonBlocking, 'full');
  t.deepEqual(summary.clerksTimeout, { errorClass: 'CheckoutTimeoutError', code: 'checkout_timeout' });
  t.like(summary.clerksWhileWaiting, { state: 'full', checkedOut: 2, waiting: 1 });
  t.true(summary.waiterGotCheckedInWorker, 'the waiter got the worker that was checked in');
});

test('1b. Python pool: transactions answer, overflow is used and stopped at check-in, a full pool answers full', (t) => {
  t.deepEqual(summary.pyReplies, [5, { be: 2, not: 1, or: 1, to: 2 }]);
  t.like(summary.pyFull, { state: 'full', idle: 0, checkedOut: 3, overflow: 1, maxOverflow: 1 });
  t.is(summary.pyNonBlocking, 'full');
  t.true(summary.overflowPid > 0);
  t.true(summary.overflowStopped);
  t.like(summary.pyAfterCheckin, { state: 'ready', idle: 2, checkedOut: 0, overflow: 0 });
});

test('2. killing py’s manager restarts the pool with new Python workers; the third kill restarts the pool supervisor itself', (t) => {
  t.deepEqual(
    summary.kills.map((k) => k.supervisorRestarted),
    [false, false, true, false],
  );
  for (const k of summary.kills) {
    t.is(k.pidsAfter.length, 2);
    t.false(
      k.pidsAfter.some((pid) => k.pidsBefore.includes(pid)),
      `kill ${k.kill}: new processes`,
    );
    t.true(k.oldPidsGone, `kill ${k.kill}: the old generation stopped`);
  }
  t.is(summary.byNameAfterKills, 42);
  t.is(summary.firstHandleAfterKills, 3);
  t.true(summary.clerksUntouched);
});

test('3. the status of each pool, and the managers’ formatStatus in the dump', (t) => {
  t.like(summary.statuses.clerks, { state: 'ready', size: 2, maxOverflow: 0, idle: 2, checkedOut: 0 });
  t.like(summary.statuses.py, { state: 'ready', size: 2, maxOverflow: 1, idle: 2, checkedOut: 0 });
  t.is(summary.managerDumpLines.length, 2);
  t.regex(summary.managerDumpLines[0]!, /PoolManager .*pool=clerks state=ready size=2 .*idle=2/);
  t.regex(summary.managerDumpLines[1]!, /PoolManager .*pool=py state=ready size=2 maxOverflow=1 idle=2.*restarts 1.*last exit: killed/);
});

/** The state letter of `/proc/<pid>/stat`, or undefined when the pid is gone. */
function procState(pid: number): string | undefined {
  if (!existsSync(`/proc/${pid}`)) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  } catch {
    return undefined;
  }
}

test('4. stopPool stops py by name; no Python process is left (checked in /proc)', (t) => {
  t.is(summary.stopPool, 'ok');
  t.false(summary.foundAfterStop);
  t.deepEqual(summary.namesAfterStop, ['clerks']);
  t.is(summary.callAfterStop, 'PoolStoppedError (pool_stopped)');
  t.is(summary.stopPoolAgain, 'not_found');
  t.is(summary.stopResult, 'stopped');
  // 2 first workers + 1 overflow + 2 per kill.
  t.is(summary.pythonPids.length, 3 + 2 * summary.kills.length);
  t.deepEqual(summary.pidsLeft, []);
  t.deepEqual(summary.markedLeft, []);
  // Checked again here, not only by the scene: every Python process is gone and reaped (no zombie).
  for (const pid of summary.pythonPids) t.is(procState(pid), undefined, `pid ${pid} is gone`);
  t.true(lines.some((l) => l.includes('Part three')));
  t.true(lines.some((l) => l.includes(`pools.stopPool('py') → "ok"`)));
});
