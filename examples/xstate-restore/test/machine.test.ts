import test from 'ava';
import { runMachine, type MachineSummary } from '../src/machine.js';

const lines: string[] = [];
let summary: MachineSummary;

test.before(async () => {
  summary = await runMachine((line) => lines.push(line), { logLevel: 'silent' });
});

test('1. the order machine runs as an actor: cart, checkout', (t) => {
  t.deepEqual(summary.before, { state: 'payment', items: ['teapot', 'cups'] });
});

test('2. a bad event crashes the actor with the machine error, and the supervisor restarts it', (t) => {
  t.is(summary.crashReason, 'machine_failed: payment of -5 rejected by the ledger');
  t.true(summary.restarted);
});

test('3. the restart restores the snapshot from before the bad event, and the order goes on', (t) => {
  t.deepEqual(summary.restored, { state: 'payment', items: ['teapot', 'cups'], paid: 0 });
  t.deepEqual(summary.statusDetails, { state: 'payment', status: 'active' }, 'getStatus shows the restored state');
  t.is(summary.finalState, 'shipped');
  t.is(summary.finalExit, 'normal');
});

test('4. the scene prints what happened', (t) => {
  t.true(lines.some((l) => l.includes('restored from its snapshot after a crash')));
  t.true(lines.some((l) => l.includes('crashed')));
});
