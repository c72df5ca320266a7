/**
 * Supervision trees (reference semantics §3): escalation of an exhausted intensity, the
 * parent's strategy applied to a sub-supervisor, the init specs coming back after a
 * restart, and a tree stopped from the top.
 */
import test from 'ava';
import { createSystem, Supervisor, type ActorRef, type SupervisorProtocol } from '../../src/index.js';
import { exitChild, exitOf, refs, restarted, worker } from '../support/supervisorWorkers.js';

type SupRef = ActorRef<SupervisorProtocol>;

async function supOf(parent: SupRef, id: string): Promise<SupRef> {
  const r = (await refs(parent))[id];
  if (r === undefined || r === 'restarting') throw new Error(`no supervisor ${id}`);
  return r as SupRef;
}

test('a failing grandchild exhausts its supervisor, which exits with shutdown; the parent restarts it with its init children only', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  const root = await Supervisor.start(system, {
    intensity: 3,
    children: [
      worker('r1', events, { trap: true }),
      Supervisor.childSpec({ intensity: 1, period: 60_000, children: [worker('w1', events, { trap: true }), worker('w2', events, { trap: true })] }, { id: 'mid' }),
    ],
  });
  const mid = await supOf(root, 'mid');
  const added = await Supervisor.startChild(mid, worker('extra', events, { trap: true }));
  t.is(added.status, 'ok');
  t.deepEqual(Object.keys(await refs(mid)), ['w1', 'w2', 'extra']);
  const r1 = (await refs(root))['r1'];
  events.length = 0;

  const w1 = await exitChild(system, mid, 'w1', 'kill');
  await restarted(mid, 'w1', w1);
  await exitChild(system, mid, 'w1', 'kill');
  t.is(await exitOf(system, mid), 'shutdown', 'the exhausted supervisor exits with shutdown');

  const mid2 = await restarted(root, 'mid', mid);
  t.deepEqual(events, ['start w1', 'stop extra shutdown', 'stop w2 shutdown', 'start w1', 'start w2']);
  t.deepEqual(Object.keys(await refs(mid2 as never)), ['w1', 'w2'], 'the child added at run time is lost; the init specs are back');
  t.is(await Supervisor.getChildSpec(mid2 as never, 'extra'), 'not_found');
  t.is((await refs(root))['r1'], r1, 'one_for_one at the root: the sibling keeps its ref');
  t.true(system.isAlive(root));
  await system.shutdown();
});

test('three levels: an exhausted leaf exhausts its parent in turn, and the root restarts the whole branch', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  const leafDef = { intensity: 0, children: [worker('w', events, { trap: true })] };
  const root = await Supervisor.start(system, {
    children: [Supervisor.childSpec({ intensity: 0, children: [worker('m', events, { trap: true }), Supervisor.childSpec(leafDef, { id: 'leaf' })] }, { id: 'mid' })],
  });
  const mid = await supOf(root, 'mid');
  const leaf = await supOf(mid, 'leaf');
  events.length = 0;

  await exitChild(system, leaf, 'w', 'kill');
  t.is(await exitOf(system, leaf), 'shutdown');
  t.is(await exitOf(system, mid), 'shutdown', 'the leaf restart was one too many for mid (intensity 0)');
  const mid2 = await restarted(root, 'mid', mid);
  t.deepEqual(events, ['stop m shutdown', 'start m', 'start w']);
  const leaf2 = await supOf(mid2 as never, 'leaf');
  t.not(leaf2, leaf);
  t.deepEqual(Object.keys(await refs(leaf2)), ['w']);
  await system.shutdown();
});

test('escalation reaches the root: an exhausted root exits with shutdown and the whole tree is down', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  const root = await Supervisor.start(system, {
    intensity: 0,
    children: [worker('a', events, { trap: true }), Supervisor.childSpec({ intensity: 0, children: [worker('w', events, { trap: true })] }, { id: 'mid' })],
  });
  const mid = await supOf(root, 'mid');
  events.length = 0;
  await exitChild(system, mid, 'w', 'kill');
  t.is(await exitOf(system, root), 'shutdown');
  t.deepEqual(events, ['stop a shutdown']);
  t.is(system.size, 0, 'nothing is left');
  await system.shutdown();
});

test('the parent applies its own strategy to an exhausted sub-supervisor (rest_for_one: later siblings restart too)', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  const root = await Supervisor.start(system, {
    strategy: 'rest_for_one',
    children: [
      worker('before', events, { trap: true }),
      Supervisor.childSpec({ intensity: 0, children: [worker('w', events, { trap: true })] }, { id: 'mid' }),
      worker('after', events, { trap: true }),
    ],
  });
  const before = await refs(root);
  const mid = await supOf(root, 'mid');
  events.length = 0;
  await exitChild(system, mid, 'w', 'kill');
  await restarted(root, 'mid', mid);
  t.deepEqual(events, ['stop after shutdown', 'start w', 'start after']);
  const after = await refs(root);
  t.is(after['before'], before['before']);
  t.not(after['after'], before['after']);
  await system.shutdown();
});

test('a transient sub-supervisor that gives up (exit shutdown) is not restarted: its spec stays with no ref', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  const root = await Supervisor.start(system, {
    children: [Supervisor.childSpec({ intensity: 0, children: [worker('w', events)] }, { id: 'mid', restart: 'transient' })],
  });
  const mid = await supOf(root, 'mid');
  await exitChild(system, mid, 'w', 'kill');
  await exitOf(system, mid);
  t.deepEqual(await refs(root), { mid: undefined });
  t.deepEqual(await Supervisor.countChildren(root), { specs: 1, active: 0, supervisors: 1, workers: 0 });
  await system.shutdown();
});

test('stopping the root stops the tree depth-first in reverse start order', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  const root = await Supervisor.start(system, {
    children: [
      worker('a', events, { trap: true }),
      Supervisor.childSpec(
        { children: [worker('m1', events, { trap: true }), Supervisor.childSpec({ children: [worker('l1', events, { trap: true }), worker('l2', events, { trap: true })] }, { id: 'leaf' }), worker('m2', events, { trap: true })] },
        { id: 'mid' },
      ),
      worker('z', events, { trap: true }),
    ],
  });
  t.deepEqual(events, ['start a', 'start m1', 'start l1', 'start l2', 'start m2', 'start z']);
  const mid = await supOf(root, 'mid');
  const leaf = await supOf(mid, 'leaf');
  events.length = 0;
  await system.stop(root, 'shutdown');
  t.deepEqual(events, ['stop z shutdown', 'stop m2 shutdown', 'stop l2 shutdown', 'stop l1 shutdown', 'stop m1 shutdown', 'stop a shutdown']);
  t.is(await exitOf(system, mid), 'shutdown');
  t.is(await exitOf(system, leaf), 'shutdown');
  t.is(system.size, 0);
  await system.shutdown();
});
