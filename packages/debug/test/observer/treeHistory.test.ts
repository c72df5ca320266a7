/** TreeHistory on hand-made dumps: stable keys across restarts, rates, diffs, the timeline and the history buckets. */
import test from 'ava';
import type { Dump, DumpNode } from '@arbor/core';
import { BUCKET_MS, TreeHistory } from '../../src/observer/TreeHistory.js';

function node(id: string | null, over: Partial<DumpNode> = {}): DumpNode {
  return { id, names: [], behaviour: 'W', kind: 'actor', strategy: null, status: 'waiting', childId: null, mailbox: 0, handled: 0, restarts: null, lastExit: null, links: [], monitors: [], uptimeMs: 1, children: [], ...over };
}

function dumpOf(roots: DumpNode[]): Dump {
  return { version: 1, system: 's', pid: 1, takenAt: '', actors: 0, roots, memory: { rssBytes: 100, heapUsedBytes: 50 } };
}

const timing = { intervalMs: 250, sampleMs: 1 };

function tree(childId: string, handled: number, restarts: number, lastExit: string | null, extra: DumpNode[] = []): Dump {
  return dumpOf([node('sup', { kind: 'supervisor', strategy: 'one_for_one', children: [node(childId, { childId: 'a', names: ['a'], handled, restarts, lastExit }), ...extra] })]);
}

test('a supervised child keeps its key across a restart; the diff has its new id, its rate and a restart entry', (t) => {
  const h = new TreeHistory();
  t.is(h.apply(tree('id1', 0, 0, null), 10_000, timing), null, 'the first dump gives no diff');
  const snap = h.snapshot(true);
  t.deepEqual(snap.roots, ['sup']);
  t.deepEqual(snap.nodes.map((n) => n.key), ['sup', 'sup/a']);
  t.deepEqual(snap.nodes[0]!.children, ['sup/a']);

  const d1 = h.apply(tree('id1', 500, 0, null), 10_500, timing)!;
  t.deepEqual(d1.changed.map((n) => [n.key, n.rate]), [['sup/a', 1000]], '500 handled in 0.5 s');
  t.is(d1.roots, undefined, 'roots unchanged');
  t.deepEqual(d1.timeline, []);
  t.deepEqual(d1.memory, { t: 10_500, rss: 100, heap: 50 });

  const d2 = h.apply(tree('id2', 10, 1, 'Error: boom'), 11_000, timing)!;
  t.deepEqual(d2.changed.map((n) => [n.key, n.id, n.restarts, n.rate]), [['sup/a', 'id2', 1, 20]], 'the new actor counts from 0');
  t.deepEqual(d2.removed, []);
  t.deepEqual(d2.timeline.map((e) => [e.kind, e.key, e.label, e.reason]), [['restart', 'sup/a', 'a', 'Error: boom']]);

  const d3 = h.apply(tree('id2', 10, 1, 'Error: boom'), 11_500, timing)!;
  t.deepEqual(d3.changed.map((n) => n.key), ['sup/a'], 'rate went to 0');
  const d4 = h.apply(tree('id2', 10, 1, 'Error: boom'), 12_000, timing)!;
  t.deepEqual(d4.changed, [], 'nothing changed');
});

test('actors that leave are removed with an exit entry; many at once make one entry', (t) => {
  const h = new TreeHistory();
  const many = Array.from({ length: 12 }, (_, i) => node(`t${i}`, { behaviour: 'Task' }));
  h.apply(tree('id1', 0, 0, null, [node('x', { names: ['x'] })]), 1000, timing);
  const d1 = h.apply(tree('id1', 0, 0, null, many), 1500, timing)!;
  t.deepEqual(d1.removed, ['x']);
  t.deepEqual(d1.timeline.map((e) => [e.kind, e.label]), [['exit', 'x']]);
  t.is(d1.changed.length, 13, 'the parent (children changed) and the 12 new rows');
  const d2 = h.apply(tree('id1', 0, 0, null), 2000, timing)!;
  t.is(d2.removed.length, 12);
  t.deepEqual(d2.timeline.map((e) => [e.kind, e.label]), [['exit', '12 actors']]);
});

test('the history keeps one bucket per 2 s with the mean rate and the peak mailbox', (t) => {
  const h = new TreeHistory();
  const at = (i: number): number => 100 * BUCKET_MS + i * 500;
  const mk = (handled: number, mailbox: number): Dump => dumpOf([node('a', { handled, mailbox })]);
  h.apply(mk(0, 0), at(0), timing);
  h.apply(mk(100, 5), at(1), timing); // 200/s
  h.apply(mk(300, 2), at(2), timing); // 400/s
  h.apply(mk(300, 1), at(3), timing); // 0/s
  h.apply(mk(400, 0), at(4), timing); // next bucket: 200/s
  const { history, node: row } = h.actor('a');
  t.is(row?.key, 'a');
  t.deepEqual(history.t, [100 * BUCKET_MS, 101 * BUCKET_MS]);
  t.deepEqual(history.rate, [150, 200], 'bucket 1: the mean of 0, 200, 400, 0');
  t.deepEqual(history.mailbox, [5, 0]);
  t.deepEqual(h.actor('nobody').history.rate, [null, null]);
});
