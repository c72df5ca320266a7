import test from 'ava';
import { runTables, type TablesSummary } from '../src/tables/tables.js';

const lines: string[] = [];
let summary: TablesSummary;

test.before(async () => {
  summary = await runTables((line) => lines.push(line), { logLevel: 'silent' });
});

test('1. a crashed worker is tainted in the shared table and routed around', (t) => {
  t.deepEqual(summary.tainted, ['w2']);
  // w2 crashed on 'poison'; afterwards only w1 and w3 get jobs.
  t.deepEqual(summary.routed, ['w1', '-', 'w3', 'w1', 'w3', 'w1']);
});

test('2. workers count their jobs in a table owned by the table owner', (t) => {
  t.deepEqual(summary.counts, { w1: 3, w2: 0, w3: 2 });
});

test('3. after the table owner crashes, the kept table is back full and the other one empty', (t) => {
  t.true(summary.countsKept);
  t.is(summary.taintsAfterOwnerCrash, 0);
  t.true(lines.some((l) => l.includes('table owner killed and restarted')));
});
