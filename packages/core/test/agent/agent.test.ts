/**
 * Agent: a state holder with get / update / getAndUpdate / cast / stop, started alone,
 * linked to an actor, or as a supervisor child restarted from its start function.
 */
import test from 'ava';
import {
  Agent,
  call,
  CallExitError,
  childSpec,
  dump,
  GenServer,
  InvalidOptionError,
  NoProcError,
  Supervisor,
  type AgentRef,
  type Call,
} from '../../src/index.js';
import { capturingSystem, eventually, exitReasonOf } from '../support/helpers.js';

test('get, update, getAndUpdate and cast run functions on the state, in order', async (t) => {
  const { system } = capturingSystem();
  const counter = await Agent.start(system, () => 0);
  t.is(await Agent.get(counter, (n) => n), 0);
  await Agent.update(counter, (n) => n + 5);
  t.is(await Agent.getAndUpdate(counter, (n) => [`was ${n}`, n * 2] as const), 'was 5');
  Agent.cast(counter, (n) => n + 1);
  t.is(await Agent.get(counter, (n) => n * 100), 1100, 'the cast ran before the get');
  t.is(await system.getState(counter), 11);
  t.deepEqual(system.getStatus(counter).details, { state: 11 });
  await system.shutdown();
});

test('an async start function; the agent holds objects too', async (t) => {
  const { system } = capturingSystem();
  const cache = await Agent.start(system, async () => new Map([['a', 1]]), { name: 'cache' });
  t.is(system.whereis('cache'), cache);
  await Agent.update(cache, (m) => new Map([...m, ['b', 2]]));
  t.deepEqual(await Agent.get(cache, (m) => [...m.keys()]), ['a', 'b']);
  t.deepEqual(system.getStatus(cache).details, { state: 'object' });
  await system.shutdown();
});

test('a throwing function crashes the agent; the caller gets CallExitError', async (t) => {
  const { system } = capturingSystem();
  const agent = await Agent.start(system, () => [1, 2, 3]);
  const e = await t.throwsAsync(
    Agent.update(agent, () => {
      throw new Error('bad update');
    }),
    { instanceOf: CallExitError },
  );
  t.is(((e as CallExitError).reason as Error).message, 'bad update');
  t.false(system.isAlive(agent));
  await t.throwsAsync(Agent.get(agent, (s) => s), { instanceOf: NoProcError });
  t.notThrows(() => Agent.cast(agent, (s) => s), 'a cast to a dead agent is a no-op');

  const other = await Agent.start(system, () => 'x');
  Agent.cast(other, () => {
    throw new Error('bad cast');
  });
  t.is(((await exitReasonOf(system, other)) as Error).message, 'bad cast');
  await system.shutdown();
});

test('stop stops the agent with a reason; a failing start function fails the start', async (t) => {
  const { system } = capturingSystem();
  const agent = await Agent.start(system, () => 1);
  await Agent.stop(agent, 'shutdown');
  t.is(system.getStatus(agent).exitReason, 'shutdown');
  await t.throwsAsync(Agent.stop(agent), { instanceOf: NoProcError });
  await t.throwsAsync(
    Agent.start(system, () => {
      throw new Error('no state');
    }),
    { message: /no state/ },
  );
  await t.throwsAsync(Agent.start(system, 5 as never), { message: /init must be a function/ });
  await t.throwsAsync(Agent.get({ id: 'x' } as AgentRef<number>, (n) => n), { instanceOf: InvalidOptionError });
  await t.throwsAsync(Agent.update(agent, 'nope' as never), { instanceOf: InvalidOptionError, message: /update: fn must be a function/ });
  await system.shutdown();
});

interface HolderProtocol {
  call: Call<'agent', AgentRef<string[]>>;
}

class Holder extends GenServer<HolderProtocol, AgentRef<string[]> | undefined> {
  override async init() {
    this.state = await Agent.startLink(this, () => ['started']);
  }
  override handleCall() {
    return this.state!;
  }
}

test('startLink links the agent to the calling actor', async (t) => {
  const { system } = capturingSystem();
  const holder = await system.spawn(Holder, undefined);
  const agent = await call(holder, { type: 'agent' });
  t.deepEqual(system.getStatus(agent).links, [holder.id]);
  t.is(system.getStatus(agent).parent, holder.id);
  t.deepEqual(await Agent.get(agent, (s) => s), ['started']);
  system.exit(holder, 'boom');
  t.is(await exitReasonOf(system, agent), 'boom');
  await system.shutdown();
});

test('as a supervisor child: restarted from its start function after a crash', async (t) => {
  const { system } = capturingSystem();
  let starts = 0;
  await Supervisor.start(system, {
    strategy: 'one_for_one',
    children: [
      Agent.childSpec(
        () => {
          starts++;
          return { hits: 0 };
        },
        { id: 'hits', options: { name: 'hits' } },
      ),
    ],
  });
  const hits = system.whereis('hits') as AgentRef<{ hits: number }>;
  await Agent.update(hits, (s) => ({ hits: s.hits + 3 }));
  t.is(await Agent.get(hits, (s) => s.hits), 3);
  await t.throwsAsync(
    Agent.get(hits, () => {
      throw new Error('crash the agent');
    }),
  );
  t.true(await eventually(() => system.whereis('hits') !== undefined && system.whereis('hits') !== hits));
  const again = system.whereis('hits') as AgentRef<{ hits: number }>;
  t.is(await Agent.get(again, (s) => s.hits), 0, 'restarted with the initial state');
  t.is(starts, 2);
  const node = dump(system).roots[0]!.children[0]!;
  t.like(node, { childId: 'hits', behaviour: 'Agent', restarts: 1 });
  await system.shutdown();
});

test('childSpec(Agent, init) works like any behaviour\'s child spec', async (t) => {
  const { system } = capturingSystem();
  const root = await Supervisor.start(system, {
    strategy: 'one_for_one',
    children: [childSpec(Agent, () => 'hello', { id: 'greeting' })],
  });
  const [entry] = await Supervisor.whichChildren(root);
  t.is(entry!.id, 'greeting');
  t.is(await Agent.get(entry!.ref as AgentRef<string>, (s) => s.toUpperCase()), 'HELLO');
  await system.shutdown();
});
