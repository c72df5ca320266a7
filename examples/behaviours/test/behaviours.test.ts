import test from 'ava';
import { runBehaviours, type BehavioursSummary } from '../src/behaviours.js';

const lines: string[] = [];
let summary: BehavioursSummary;

test.before(async () => {
  summary = await runBehaviours((line) => lines.push(line), { logLevel: 'silent' });
});

test('1. the agent counts casts, crashes on a bad update, and is restarted from its start function', (t) => {
  t.is(summary.hitsBefore, 3);
  t.is(summary.hitsAfterRestart, 0);
});

test('2. two tasks linked to the Report actor are awaited in parallel', (t) => {
  t.is(summary.report, '42 orders from ada and grace');
});

test('3. asyncNolink: a crashing supervised task is a TaskExitError for its caller, which runs on', (t) => {
  t.is(summary.nolinkError, 'task_exit: payment api down');
  t.true(summary.callerAlive);
});

test('4. await times out with task_timeout; shutdown stops the task before it finishes', (t) => {
  t.is(summary.timeoutCode, 'task_timeout');
  t.is(summary.shutdownResult, 'stopped before it finished');
});

test('5. the dump shows formatStatus details: the agent state and the running task function', (t) => {
  t.regex(summary.agentLine, /hits: Agent #\S+ waiting state=7, restarts 1/);
  t.true(lines.some((l) => /TaskRunner #\S+ running fn=slowExport/.test(l)));
});
