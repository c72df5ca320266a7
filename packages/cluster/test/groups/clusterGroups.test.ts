/**
 * ClusterGroups, Erlang's pg across nodes: local joins, views that converge one message
 * later, members dropped when they exit or when their node is lost, a scope started late
 * that catches up, a healed cut that exchanges members again. Nodes on a MemoryNetwork.
 */
import test from 'ava';
import fc from 'fast-check';
import { InvalidOptionError, type ActorRef } from '@arbor/core';
import { eventually } from '@arbor/test-support';
import { ClusterGroups } from '../../src/index.js';
import { NodeProbe } from '../support/actors.js';
import { memoryCluster, type TestNode } from '../support/memoryCluster.js';

const ids = (refs: readonly ActorRef[]): string[] => refs.map((r) => r.id).sort();

async function probes(node: TestNode, n: number): Promise<ActorRef[]> {
  const out: ActorRef[] = [];
  for (let i = 0; i < n; i++) out.push(await node.system.spawn(NodeProbe, undefined));
  return out;
}

test('joins on two nodes are seen on both; a member that exits leaves everywhere; leave removes one membership', async (t) => {
  const c = await memoryCluster(['a', 'b']);
  const [a, b] = c.nodes as [TestNode, TestNode];
  const ga = await ClusterGroups.start(a.system, a.cluster);
  const gb = await ClusterGroups.start(b.system, b.cluster);
  const [a1, a2] = await probes(a, 2);
  const [b1] = await probes(b, 1);
  await ga.join('workers', [a1!, a2!]);
  await gb.join('workers', b1!);
  await gb.join('other', b1!);
  const all = ids([a1!, a2!, b1!]);
  t.true(await eventually(() => JSON.stringify(ids(ga.members('workers'))) === JSON.stringify(all) && JSON.stringify(ids(gb.members('workers'))) === JSON.stringify(all), 2000));
  t.deepEqual(ids(ga.localMembers('workers')), ids([a1!, a2!]));
  t.deepEqual(ga.whichGroups(), ['other', 'workers']);

  await a.system.stop(a2!, 'shutdown');
  t.true(await eventually(() => ids(gb.members('workers')).length === 2 && !gb.members('workers').some((r) => r.id === a2!.id), 2000), 'the exit left the group on b');
  t.deepEqual(await ga.leave('workers', [a1!, a1!]), [a1!], 'one membership left; the second was not there');
  t.true(await eventually(() => JSON.stringify(ids(gb.members('workers'))) === JSON.stringify([b1!.id]), 2000));
  t.deepEqual(ga.members('nothing'), []);
  await c.stop();
});

test("a node that is lost takes its members with it; a scope started late catches up with the others' members", async (t) => {
  const c = await memoryCluster(['a', 'b', 'c']);
  const [a, b, cc] = c.nodes as [TestNode, TestNode, TestNode];
  const ga = await ClusterGroups.start(a.system, a.cluster);
  const gb = await ClusterGroups.start(b.system, b.cluster);
  const [a1] = await probes(a, 1);
  const [b1, b2] = await probes(b, 2);
  await ga.join('g', a1!);
  await gb.join('g', [b1!, b2!]);
  // c's scope starts after the joins: its discovery brings them.
  const gc = await ClusterGroups.start(cc.system, cc.cluster);
  t.true(await eventually(() => gc.members('g').length === 3, 2000), 'the late scope sees every member');
  c.net.kill(b.name);
  t.true(await eventually(() => ids(ga.members('g')).join() === a1!.id && ids(gc.members('g')).join() === a1!.id, 3000), "b's members are dropped on a and c");
  await c.stop();
});

test('a cut drops the other side; after the heal the scopes exchange their members again', async (t) => {
  const c = await memoryCluster(['a', 'b']);
  const [a, b] = c.nodes as [TestNode, TestNode];
  const ga = await ClusterGroups.start(a.system, a.cluster);
  const gb = await ClusterGroups.start(b.system, b.cluster);
  const [a1] = await probes(a, 1);
  const [b1] = await probes(b, 1);
  await ga.join('g', a1!);
  await gb.join('g', b1!);
  t.true(await eventually(() => ga.members('g').length === 2 && gb.members('g').length === 2, 2000));
  c.net.cut('a', 'b');
  t.true(await eventually(() => ga.members('g').length === 1 && gb.members('g').length === 1, 3000), 'each side dropped the other');
  const [b2] = await probes(b, 1);
  await gb.join('g', b2!); // joined while cut: a learns of it from the sync after the heal
  c.net.heal('a', 'b');
  t.true(await eventually(() => ga.members('g').length === 3 && gb.members('g').length === 2 + 1, 3000), 'views converge after the heal');
  t.deepEqual(ids(ga.members('g')), ids([a1!, b1!, b2!]));
  await c.stop();
});

test('misuse throws: a remote ref, a bad group, a bad scope', async (t) => {
  const c = await memoryCluster(['a', 'b']);
  const [a, b] = c.nodes as [TestNode, TestNode];
  const ga = await ClusterGroups.start(a.system, a.cluster);
  const far = await a.cluster.spawn(b.name, 'NodeProbe');
  await t.throwsAsync(ga.join('g', far), { instanceOf: InvalidOptionError, message: /local actors/ });
  await t.throwsAsync(ga.join('', (await probes(a, 1))[0]!), { instanceOf: InvalidOptionError });
  t.throws(() => ga.members(42 as never), { instanceOf: InvalidOptionError });
  await t.throwsAsync(ClusterGroups.start(a.system, a.cluster, { scope: 'a b' }), { instanceOf: InvalidOptionError });
  await t.throwsAsync(ClusterGroups.start(a.system, {} as never), { instanceOf: InvalidOptionError });
  await c.stop();
});

test('property: after any sequence of joins, leaves and exits on three nodes, every view equals the members alive', async (t) => {
  await t.notThrowsAsync(fc.assert(
    fc.asyncProperty(
      fc.array(
        fc.record({ node: fc.integer({ min: 0, max: 2 }), actor: fc.integer({ min: 0, max: 2 }), op: fc.constantFrom('join', 'join', 'leave', 'exit'), group: fc.constantFrom('x', 'y') }),
        { minLength: 1, maxLength: 25 },
      ),
      async (ops) => {
        const c = await memoryCluster(['a', 'b', 'c']);
        try {
          const groups = await Promise.all(c.nodes.map((n) => ClusterGroups.start(n.system, n.cluster)));
          const actors = await Promise.all(c.nodes.map((n) => probes(n, 3)));
          /** The truth: group -> member ids with multiplicity. */
          const truth = new Map<string, string[]>([['x', []], ['y', []]]);
          const dead = new Set<string>();
          for (const o of ops) {
            const ref = actors[o.node]![o.actor]!;
            if (dead.has(ref.id)) continue;
            const g = groups[o.node]!;
            if (o.op === 'join') {
              await g.join(o.group, ref);
              truth.get(o.group)!.push(ref.id);
            } else if (o.op === 'leave') {
              const left = await g.leave(o.group, ref);
              const list = truth.get(o.group)!;
              if (left.length > 0) list.splice(list.indexOf(ref.id), 1);
            } else {
              await c.nodes[o.node]!.system.stop(ref, 'shutdown');
              dead.add(ref.id);
              for (const list of truth.values()) for (let i = list.length - 1; i >= 0; i--) if (list[i] === ref.id) list.splice(i, 1);
            }
          }
          const want = (group: string): string => [...truth.get(group)!].sort().join();
          const converged = await eventually(() => groups.every((g) => ['x', 'y'].every((group) => ids(g.members(group)).join() === want(group))), 3000);
          if (!converged) throw new Error(`views: ${JSON.stringify(groups.map((g) => ['x', 'y'].map((group) => ids(g.members(group)))))} want ${want('x')} / ${want('y')}`);
        } finally {
          await c.stop();
        }
      },
    ),
    { numRuns: 15 },
  ));
});
