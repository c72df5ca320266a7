/**
 * Supervisors, the registry and the dump together: the parts of issue 3 that meet.
 */
import test from 'ava';
import {
  childSpec,
  dump,
  DynamicSupervisor,
  Registry,
  renderDump,
  Supervisor,
  type ActorRef,
  type DumpNode,
  type SupervisorProtocol,
} from '../../src/index.js';
import { Counter, type CounterProtocol } from '../support/actors.js';
import { capturingSystem, eventually } from '../support/helpers.js';

async function childRef(sup: ActorRef<SupervisorProtocol>, id: string): Promise<ActorRef<any>> {
  const c = (await Supervisor.whichChildren(sup)).find((x) => x.id === id);
  if (c === undefined || c.ref === 'restarting' || c.ref === undefined) throw new Error(`no running child ${id}`);
  return c.ref;
}

function node(nodes: readonly DumpNode[], id: string): DumpNode {
  const n = nodes.find((x) => x.childId === id);
  if (n === undefined) throw new Error(`no node ${id}`);
  return n;
}

test('a child named through a registry key is found again by that key after its restart', async (t) => {
  const { system } = capturingSystem();
  const root = await Supervisor.start(system, {
    children: [
      childSpec(Registry, { keys: 'unique', name: 'names' }, { id: 'names' }),
      {
        id: 'counter',
        // The registry is started first, so its handle exists when this start runs.
        start: (s) => s.startLink(Counter, 7, { name: Registry.named(system, 'names')!.via('counter') }),
      },
    ],
  });
  const names = Registry.named<string, undefined, CounterProtocol>(system, 'names')!;
  const first = names.whereis('counter')!;
  t.is(first, await childRef(root, 'counter'));
  system.cast(first, { type: 'boom' });
  t.true(await eventually(() => names.whereis('counter') !== undefined && names.whereis('counter') !== first));
  const second = names.whereis('counter')!;
  t.is(second, await childRef(root, 'counter'));
  t.is(await system.call(second, { type: 'get' }), 7);
  await system.shutdown();
});

test('a registry is a supervised actor: killed, it is restarted, and its named handle follows it', async (t) => {
  const { system } = capturingSystem();
  const root = await Supervisor.start(system, { children: [childSpec(Registry, { keys: 'duplicate', name: 'topics' }, { id: 'topics' })] });
  const handle = Registry.named<string, number>(system, 'topics')!;
  const before = handle.ref;
  system.exit(before, 'kill');
  t.true(await eventually(() => handle.alive && handle.ref !== before));
  t.is(handle.ref, await childRef(root, 'topics'));
  const c = await system.spawn(Counter, 0);
  t.deepEqual(handle.register('news', 1, { owner: c }), { status: 'ok' });
  t.is(handle.lookup('news').length, 1);
  await system.shutdown();
});

test('dump() of a real tree: strategies, child ids in start order, restarting children, restart counts, registry names', async (t) => {
  const { system } = capturingSystem();
  let failing = false;
  const root = await Supervisor.start(
    system,
    {
      strategy: 'one_for_one',
      // Failing restarts are retried every 20 ms, so they do not exhaust the intensity at once.
      intensity: 1000,
      backoff: { initialMs: 20, maxMs: 20 },
      children: [
        childSpec(Registry, { keys: 'unique', name: 'names' }, { id: 'names' }),
        Supervisor.childSpec({ strategy: 'rest_for_one', children: [childSpec(Counter, 1, { id: 'a' }), childSpec(Counter, 2, { id: 'b' })] }, { id: 'inner' }),
        DynamicSupervisor.childSpec({}, { id: 'dyn' }),
        {
          id: 'flaky',
          start: async (s) => {
            if (failing) return { status: 'error', reason: 'still down' };
            return s.startLink(Counter, 0);
          },
        },
      ],
    },
    { name: 'root' },
  );
  const names = Registry.named(system, 'names')!;
  const dyn = (await childRef(root, 'dyn')) as ActorRef;
  await DynamicSupervisor.startChild(dyn as never, { start: (s) => s.startLink(Counter, 5, { name: names.via('five') }) });
  const inner = (await childRef(root, 'inner')) as ActorRef<SupervisorProtocol>;
  system.cast((await childRef(inner, 'a')) as ActorRef<CounterProtocol>, { type: 'boom' });
  t.true(await eventually(() => dump(system).roots[0]!.children[1]!.children[0]!.restarts === 1));

  // A child whose restarts keep failing shows as restarting, with no actor.
  failing = true;
  system.cast((await childRef(root, 'flaky')) as ActorRef<CounterProtocol>, { type: 'boom' });
  t.true(await eventually(() => node(dump(system).roots[0]!.children, 'flaky').status === 'restarting'));

  const d = dump(system);
  t.is(d.roots.length, 1);
  const top = d.roots[0]!;
  t.deepEqual(top.names, ['root']);
  t.is(top.kind, 'supervisor');
  t.is(top.strategy, 'one_for_one');
  t.deepEqual(top.children.map((c) => c.childId), ['names', 'inner', 'dyn', 'flaky']);
  const innerNode = node(top.children, 'inner');
  t.is(innerNode.strategy, 'rest_for_one');
  t.deepEqual(innerNode.children.map((c) => [c.childId, c.restarts, c.lastExit]), [
    ['a', 1, 'Error: boom'],
    ['b', 1, 'shutdown'],
  ]);
  const dynNode = node(top.children, 'dyn');
  t.is(dynNode.children.length, 1);
  t.deepEqual(dynNode.children[0]!.names, ['names:five']);
  const flaky = node(top.children, 'flaky');
  t.is(flaky.id, null);
  t.is(flaky.lastExit, 'Error: boom');
  const text = renderDump(d);
  t.regex(text, /inner: Supervisor .*rest_for_one/);
  t.regex(text, /flaky: .*restarting/);
  failing = false;
  t.true(await eventually(() => node(dump(system).roots[0]!.children, 'flaky').status !== 'restarting'));
  await system.shutdown();
});
