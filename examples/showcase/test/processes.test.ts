import test from 'ava';
import { runProcesses, type ProcessesSummary } from '../src/processes/processes.js';

const lines: string[] = [];
let summary: ProcessesSummary;

test.before(async () => {
  summary = await runProcesses((line) => lines.push(line), { logLevel: 'silent' });
});

test('1. a SIGKILLed application leaves its workers running', (t) => {
  t.is(summary.orphansAliveAfterCrash, 2);
});

test('2. the next registry start stops every orphan and keeps only its own run in the file', (t) => {
  t.deepEqual(summary.outcomes, ['terminated', 'terminated']);
  t.is(summary.orphansAliveAfterCleanup, 0);
  t.is(summary.entriesAfterCleanup, 1);
  t.true(summary.onlyCurrentRun);
});

test('3. the orderly stop of the tree stops the registry’s own worker', (t) => {
  t.true(summary.ownWorkerStoppedOnShutdown);
  t.true(lines.some((l) => l.includes('Part five')));
});
