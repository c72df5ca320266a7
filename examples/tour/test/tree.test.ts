import test from 'ava';
import { runTree, type TreeSummary } from '../src/tree/tree.js';

const lines: string[] = [];
let summary: TreeSummary;

test.before(async () => {
  summary = await runTree((line) => lines.push(line), { logLevel: 'silent' });
});

test('1. the tree starts its children in order', (t) => {
  t.deepEqual(summary.rootChildren, ['names', 'inventory', 'orders', 'sessions', 'mail', 'debug']);
});

test('2. rest_for_one restarts the crashed child and the ones after it; the one before keeps its ref', (t) => {
  t.deepEqual(summary.restForOne, { queueKept: true, processorNew: true, notifierNew: true });
});

test('3. a crashed session is restarted by its dynamic supervisor and found again through the registry', (t) => {
  t.true(summary.sessionFoundAgain);
  t.is(summary.sessionReply, 'session:bob: pong');
});

test('4. failing restarts show as restarting in the dump, and the child comes back', (t) => {
  t.is(summary.mailerStatusWhileDown, 'restarting');
  t.is(summary.mailerFailedStarts, 3);
  t.is(summary.mailerRestarts, 1);
});

test('5. escalation: orders exceeds its intensity, exits with shutdown, and the root restarts it', (t) => {
  t.true(summary.ordersRestartedByRoot);
  t.is(summary.ordersRestarts, 1);
  t.is(summary.ordersLastExit, 'shutdown');
});

test('6. the debug endpoint serves the same tree as dump()', (t) => {
  t.true(summary.endpointDumpMatches);
});

test('7. the application stops in order and leaves no actor', (t) => {
  t.is(summary.stopResult, 'stopped');
  const j = summary.shutdownJournal;
  // Static supervisors: reverse start order, depth first; the three sessions all at once, before orders.
  t.deepEqual(j.slice(3), ['stop notifier (shutdown)', 'stop processor (shutdown)', 'stop queue (shutdown)', 'stop inventory (shutdown)']);
  t.deepEqual(j.slice(0, 3).sort(), ['stop session:alice (shutdown)', 'stop session:bob (shutdown)', 'stop session:carol (shutdown)']);
  t.is(summary.actorsAfterStop, 0);
});

test('the printed story includes the rendered dump', (t) => {
  t.true(lines.some((l) => l.includes('orders: Supervisor') && l.includes('rest_for_one')));
  t.true(lines.some((l) => l.includes('last exit: shutdown')));
});
