/**
 * Supervised remote children: `remote(placement, 'Behaviour', arg)` as a child spec's start.
 * The supervisor on one node links to a child on another; when that node is lost the link
 * gives `noconnection` and the supervisor restarts the child on a node still up (OTP's
 * supervisor rules, with Erlang's distribution semantics underneath).
 */
import test from 'ava';
import { call, NoProcError, DynamicSupervisor, InvalidOptionError, isActorRef, Supervisor, type ActorRef } from '@arbor/core';
import { pollUntil } from "@arbor/test-support";
import { ClusterRef, NoNodeError, remote } from '../../src/index.js';
import type { NodeProbeProtocol } from '../support/actors.js';
import { memoryCluster, type TestNode } from '../support/memoryCluster.js';

type Probe = ActorRef<NodeProbeProtocol>;

async function onlyChild(sup: ActorRef<any>): Promise<Probe> {
  const [child] = await Supervisor.whichChildren(sup);
  if (child === undefined || typeof child.ref !== 'object') throw new Error(`no running child: ${String(child?.ref)}`);
  return child.ref as Probe;
}

function nodeOf(ref: Probe): string {
  return ref instanceof ClusterRef ? ref.node : 'local';
}

test('a remote child runs on another node; when that node is lost it restarts on one still up', async (t) => {
  const c = await memoryCluster(['a', 'b', 'c']);
  const [a, b] = c.nodes as [TestNode, TestNode, TestNode];
  const sup = await Supervisor.start(a.system, { children: [{ id: 'probe', start: remote({ cluster: a.cluster }, 'NodeProbe', undefined) }] });
  const first = await onlyChild(sup);
  t.true(first instanceof ClusterRef);
  t.is(nodeOf(first), 'b', 'the oldest other node up');
  t.deepEqual(await call(first, { type: 'echo', value: 1 }), 1);

  c.net.kill(b.name);
  t.true(await pollUntil(async () => nodeOf(await onlyChild(sup)) === "c", 3000), "restarted on c");
  const second = await onlyChild(sup);
  t.not(second, first);
  t.deepEqual(await call(second, { type: 'echo', value: 2 }), 2);
  const [entry] = await Supervisor.whichChildren(sup);
  t.is(entry!.id, 'probe');
  await a.system.stop(sup, 'shutdown');
  await t.throwsAsync(call(second, { type: 'echo', value: 3 }), { instanceOf: NoProcError }, 'the supervisor stopped its remote child');
  await c.stop();
});

test('placement by preference: when the preferred node is lost the child restarts here, as a local child', async (t) => {
  const c = await memoryCluster(['a', 'b']);
  const [a, b] = c.nodes as [TestNode, TestNode];
  const sup = await Supervisor.start(a.system, { children: [{ id: 'p', start: remote({ cluster: a.cluster, nodes: ['b', 'a'] }, 'NodeProbe', undefined) }] });
  t.is(nodeOf(await onlyChild(sup)), 'b');
  c.net.kill(b.name);
  t.true(await pollUntil(async () => isActorRef(await onlyChild(sup)), 3000), 'a local ref: the child runs on a');
  const local = await onlyChild(sup);
  t.true(a.system.isAlive(local));
  await a.system.stop(sup, 'shutdown');
  t.false(a.system.isAlive(local));
  await c.stop();
});

test('no wanted node up: the start is an error with NoNodeError; bad placements throw at once', async (t) => {
  const c = await memoryCluster(['a', 'b']);
  const [a] = c.nodes as [TestNode, TestNode];
  const sup = await DynamicSupervisor.start(a.system, {});
  const r = await DynamicSupervisor.startChild(sup, { start: remote({ cluster: a.cluster, nodes: ['nowhere'] }, 'NodeProbe') });
  t.is(r.status, 'error');
  t.true(r.status === 'error' && r.reason instanceof NoNodeError);
  t.throws(() => remote({ cluster: {} as never }, 'NodeProbe'), { instanceOf: InvalidOptionError });
  t.throws(() => remote({ cluster: a.cluster, nodes: [] }, 'NodeProbe'), { instanceOf: InvalidOptionError });
  t.throws(() => remote({ cluster: a.cluster }, ''), { instanceOf: InvalidOptionError });
  await a.system.stop(sup, 'shutdown');
  await c.stop();
});

test('a dynamic supervisor terminates a remote child by its ref; the child is gone on its node', async (t) => {
  const c = await memoryCluster(['a', 'b']);
  const [a] = c.nodes as [TestNode, TestNode];
  const sup = await DynamicSupervisor.start(a.system, {});
  const r = await DynamicSupervisor.startChild(sup, { start: remote({ cluster: a.cluster }, 'NodeProbe', { trap: true }) });
  if (r.status !== 'ok') throw new Error(`start failed: ${String(r.status)}`);
  const child = r.ref as Probe;
  t.true(child instanceof ClusterRef);
  t.is(await DynamicSupervisor.terminateChild(sup, child), 'ok');
  await t.throwsAsync(call(child, { type: 'echo', value: 0 }), { instanceOf: NoProcError });
  t.deepEqual(await DynamicSupervisor.whichChildren(sup), []);
  await a.system.stop(sup, 'shutdown');
  await c.stop();
});
