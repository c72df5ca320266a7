import { existsSync, readFileSync } from 'node:fs';
import test from 'ava';
import { runWorkers, type WorkersSummary } from '../src/workers/workers.js';

const lines: string[] = [];
let summary: WorkersSummary;

test.before(async () => {
  summary = await runWorkers((line) => lines.push(line), { logLevel: 'silent' });
});

test('1. the Python worker and the thread worker answer typed requests', (t) => {
  t.deepEqual(
    summary.served.map((s) => [s.worker, s.method, s.reply]),
    [
      ['py', 'add', 5],
      ['py', 'word_count', { be: 2, not: 1, or: 1, to: 2 }],
      ['thread', 'sha256', 'b86c24fb6243540aa4b0c30411c3c3f521dcbaf597a61c4360382beae152acdb'],
      ['thread', 'fib', 75025],
    ],
  );
  t.true(summary.firstPyPid > 0 && summary.firstPyPid !== process.pid);
  t.true(summary.threadId > 0);
});

test('2. a SIGKILL from outside, mid-request: the caller gets WorkerExitError, killed not by Arbor', (t) => {
  t.is(summary.sleepingWhenKilled, 1);
  t.like(summary.killed, { errorClass: 'WorkerExitError', code: 'worker_exit', method: 'sleep', exit: { reason: 'killed', by: 'external', signal: 'SIGKILL', pid: summary.firstPyPid } });
  t.regex(summary.killed.message, /killed by SIGKILL \(not sent by Arbor\) while request "sleep" was in flight/);
});

test('3. the supervisor restarts the Python worker: the same name serves again from a new process', (t) => {
  t.true(summary.pyRefChanged);
  t.true(summary.restartedPyPid > 0);
  t.not(summary.restartedPyPid, summary.firstPyPid);
  t.is(summary.replyAfterRestart, 42);
  t.is(summary.oldHandleError, 'WorkerStoppedError');
  t.true(summary.threadRefKept, 'one_for_one leaves the thread worker alone');
});

test('4. the dump shows each worker’s formatStatus', (t) => {
  t.regex(summary.pyDumpLine, new RegExp(`kind=python.*pid=${summary.restartedPyPid}.*state=running`));
  t.regex(summary.threadDumpLine, new RegExp(`kind=thread.*threadId=${summary.threadId}.*state=running`));
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

test('5. the orderly stop leaves no process and no thread (checked in /proc)', (t) => {
  t.deepEqual(summary.pidsLeft, []);
  t.true(summary.threadGone);
  // Checked again here, not only by the scene: both Python processes are gone and reaped (no zombie).
  for (const pid of [summary.firstPyPid, summary.restartedPyPid]) t.is(procState(pid), undefined, `pid ${pid} is gone`);
  t.true(lines.some((l) => l.includes('Part seven')));
});
