/**
 * Supervisors with children on other nodes: a child spec's start function returns a
 * RemoteActorRef (as a cluster package's `remote(...)` does). The supervisor links to it,
 * restarts it when its link's EXIT arrives (a lost node gives `noconnection`), and stops it
 * with OTP's exit-and-monitor protocol. The far side is this test (RecordingRef).
 */
import test from 'ava';
import { deliverRemoteDown, deliverRemoteExit, dump, DynamicSupervisor, MonitorRef, Supervisor, type ActorRef, type ChildSpec, type StartResult } from '../../src/index.js';
import { capturingSystem, eventually } from '../support/helpers.js';
import { RecordingRef } from '../support/RecordingRef.js';

/** A child spec whose every start "spawns on another node": a fresh RecordingRef each time. */
function remoteSpec(id: string, started: RecordingRef[], shutdown: ChildSpec['shutdown'] = 5000): ChildSpec {
  return {
    id,
    shutdown,
    start: (): Promise<StartResult<any>> => {
      const ref = new RecordingRef(`${id}-${started.length + 1}`);
      started.push(ref);
      return Promise.resolve({ status: 'ok', ref: ref as ActorRef });
    },
  };
}

function monitorOf(ref: RecordingRef): MonitorRef {
  const op = ref.ops.find((o) => o[0] === 'monitor');
  if (op === undefined) throw new Error(`no monitor on ${ref.id}: ${JSON.stringify(ref.kinds())}`);
  return op[1] as MonitorRef;
}

test('a supervisor links to a remote child, restarts it on noconnection and stops it with exit + monitor', async (t) => {
  const { system, logs } = capturingSystem('remote-sup');
  const started: RecordingRef[] = [];
  const sup = await Supervisor.start(system, { children: [remoteSpec('w', started)] });
  t.is(started.length, 1);
  t.deepEqual(started[0]!.ops, [['link', sup]], 'the supervisor linked itself to the remote child');

  // The child's node is lost: its link delivers noconnection, the supervisor restarts it.
  deliverRemoteExit(sup, started[0]!, 'noconnection', { linked: true });
  await eventually(() => started.length === 2);
  const children = await Supervisor.whichChildren(sup);
  t.is(children[0]!.ref, started[1] as ActorRef);
  await eventually(() => logs.some((l) => l.message === 'child crashed' && l.reason === 'noconnection'));

  // A late exit of the old child is not a child's exit any more: nothing restarts.
  deliverRemoteExit(sup, started[0]!, 'noconnection', { linked: false });

  // Stopping the supervisor: unlink, monitor, exit shutdown; the DOWN from the far side ends it.
  const stopped = system.stop(sup, 'shutdown');
  await eventually(() => started[1]!.ops.some((o) => o[0] === 'exit'));
  t.deepEqual(started[1]!.kinds(), ['link', 'unlink', 'monitor', 'exit']);
  t.is(started[1]!.ops[3]![2], 'shutdown');
  t.true(deliverRemoteDown(monitorOf(started[1]!), 'shutdown'));
  await stopped;
  t.is(started.length, 2);
  t.false(logs.some((l) => l.message === 'child did not shut down cleanly'));
});

test('a remote child that does not answer its shutdown is killed after `shutdown` ms', async (t) => {
  const { system, logs } = capturingSystem('remote-sup-kill');
  const started: RecordingRef[] = [];
  const sup = await Supervisor.start(system, { children: [remoteSpec('w', started, 20)] });
  const stopped = system.stop(sup, 'shutdown');
  await eventually(() => started[0]!.ops.filter((o) => o[0] === 'exit').length === 2);
  t.deepEqual(
    started[0]!.ops.filter((o) => o[0] === 'exit').map((o) => o[2]),
    ['shutdown', 'kill'],
  );
  deliverRemoteDown(monitorOf(started[0]!), 'killed');
  await stopped;
  await eventually(() => logs.some((l) => l.message === 'child did not shut down cleanly'));

});

test('a lost node during shutdown: the DOWN says noconnection and the supervisor still stops', async (t) => {
  const { system, logs } = capturingSystem('remote-sup-lost');
  const started: RecordingRef[] = [];
  const sup = await Supervisor.start(system, { children: [remoteSpec('w', started)] });
  const stopped = system.stop(sup, 'shutdown');
  await eventually(() => started[0]!.ops.some((o) => o[0] === 'exit'));
  deliverRemoteDown(monitorOf(started[0]!), 'noconnection');
  await stopped;
  const report = logs.find((l) => l.message === 'child did not shut down cleanly');
  t.is(report?.reason, 'noconnection');
});

test('a dynamic supervisor terminates a remote child by ref, and restarts one whose node is lost', async (t) => {
  const { system } = capturingSystem('remote-dyn');
  const sup = await DynamicSupervisor.start(system, {});
  const started: RecordingRef[] = [];
  const { id: _id, ...spec } = remoteSpec('d', started);
  const r = await DynamicSupervisor.startChild(sup, { ...spec, restart: 'permanent' });
  t.is(r.status, 'ok');
  deliverRemoteExit(sup, started[0]!, 'noconnection', { linked: true });
  await eventually(() => started.length === 2);
  const out = DynamicSupervisor.terminateChild(sup, started[1] as ActorRef);
  await eventually(() => started[1]!.ops.some((o) => o[0] === 'exit'));
  deliverRemoteDown(monitorOf(started[1]!), 'shutdown');
  t.is(await out, 'ok');
  t.deepEqual(await DynamicSupervisor.whichChildren(sup), []);
  t.is(await DynamicSupervisor.terminateChild(sup, started[0] as ActorRef), 'not_found');
  await system.stop(sup, 'shutdown');
});

test('the dump shows a remote child with its id, Behaviour@node and status remote', async (t) => {
  const { system } = capturingSystem('remote-dump');
  const started: RecordingRef[] = [];
  const sup = await Supervisor.start(system, { children: [remoteSpec('w', started)] });
  const tree = dump(system);
  const supNode = tree.roots.find((n) => n.id === sup.id)!;
  const child = supNode.children.find((c) => c.childId === 'w');
  t.like(child, { id: 'w-1', behaviour: 'Worker@far', status: 'remote' });
  const stopped = system.stop(sup, 'shutdown');
  await eventually(() => started[0]!.ops.some((o) => o[0] === 'exit'));
  deliverRemoteDown(monitorOf(started[0]!), 'shutdown');
  await stopped;
});
