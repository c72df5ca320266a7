/**
 * The endpoint's `control` op on a real supervisor tree: kill, restart (a new child id,
 * through the supervisor), suspend and resume; restart of an actor no supervisor starts
 * again (`not_supervised`), of a temporary or dynamic child (`not_restartable`); an
 * unknown id, the endpoint itself, bad actions.
 */
import test from 'ava';
import { childSpec, DynamicSupervisor, Supervisor, type ActorRef, type ActorSystem, type Call, type SupervisorProtocol } from '@arbor/core';
import { Counter, endpointSystem } from '../support/opsApp.js';
import { lineClient, type LineClient } from '../support/lineClient.js';
import { pollUntil } from '@arbor/test-support';

async function tree(system: ActorSystem): Promise<ActorRef<SupervisorProtocol>> {
  return Supervisor.start(
    system,
    {
      strategy: 'one_for_one',
      children: [childSpec(Counter, 1, { id: 'orders' }), childSpec(Counter, 2, { id: 'mailer' }), childSpec(Counter, 3, { id: 'once', restart: 'temporary' })],
    },
    { name: 'shop' },
  );
}

async function childRef(sup: ActorRef<SupervisorProtocol>, id: string): Promise<ActorRef | undefined> {
  const entry = (await Supervisor.whichChildren(sup)).find((c) => c.id === id);
  return entry !== undefined && typeof entry.ref === 'object' ? entry.ref : undefined;
}

async function control(c: LineClient, action: string, id: string): Promise<Record<string, unknown>> {
  c.send({ op: 'control', action, id });
  return c.next();
}

function codeOf(answer: Record<string, unknown>): string | undefined {
  return (answer['error'] as { code?: string } | undefined)?.code;
}

test('control restart: the supervisor terminates and restarts the child; the answer gives the new child id', async (t) => {
  const { system, endpoint } = await endpointSystem(t);
  const sup = await tree(system);
  const before = (await childRef(sup, 'orders'))!;
  system.cast(before, { type: 'inc', by: 10 });
  const c = await lineClient(endpoint);
  const a = await control(c, 'restart', before.id);
  t.is(a['ok'], true, JSON.stringify(a));
  const after = (await childRef(sup, 'orders'))!;
  t.is(a['id'], after.id);
  t.not(after.id, before.id);
  t.false(system.isAlive(before));
  t.is(await system.call(after as ActorRef<{ call: Call<'get', number> }>, { type: 'get' }), 1, 'started again from its spec');
  t.truthy(await childRef(sup, 'mailer'), 'one_for_one: the sibling is untouched');
  await c.close();
});

test('control kill: answers once the actor is dead; its supervisor starts a new one', async (t) => {
  const { system, endpoint } = await endpointSystem(t);
  const sup = await tree(system);
  const before = (await childRef(sup, 'mailer'))!;
  const c = await lineClient(endpoint);
  t.deepEqual(await control(c, 'kill', before.id), { ok: true });
  t.false(system.isAlive(before));
  t.true(await pollUntil(async () => ((await childRef(sup, 'mailer'))?.id ?? before.id) !== before.id, 5000), 'restarted by its supervisor');
  await c.close();
});

test('control suspend and resume: the actor is suspended, keeps its mailbox, then handles it', async (t) => {
  const { system, endpoint } = await endpointSystem(t);
  const sup = await tree(system);
  const orders = (await childRef(sup, 'orders'))!;
  const c = await lineClient(endpoint);
  t.deepEqual(await control(c, 'suspend', orders.id), { ok: true });
  t.is(system.getStatus(orders).status, 'suspended');
  system.cast(orders, { type: 'inc', by: 5 });
  t.is(system.getStatus(orders).mailboxLength, 1);
  t.deepEqual(await control(c, 'resume', orders.id), { ok: true });
  t.is(await system.call(orders as ActorRef<{ call: Call<'get', number> }>, { type: 'get' }), 6);
  await c.close();
});

test('control restart: not_supervised for an actor outside a supervisor, not_restartable for a temporary or dynamic child; each is left running', async (t) => {
  const { system, endpoint } = await endpointSystem(t);
  const sup = await tree(system);
  const plain = await system.spawn(Counter, 0);
  const once = (await childRef(sup, 'once'))!;
  const dyn = await DynamicSupervisor.start(system, {});
  const r = await DynamicSupervisor.startChild(dyn, childSpec(Counter, 0, { id: 'd' }));
  const dynChild = r.status === 'ok' ? r.ref : undefined;
  t.truthy(dynChild);
  const c = await lineClient(endpoint);
  t.is(codeOf(await control(c, 'restart', plain.id)), 'not_supervised');
  t.is(codeOf(await control(c, 'restart', sup.id)), 'not_supervised', 'a root supervisor has no supervisor');
  const onceAnswer = await control(c, 'restart', once.id);
  t.is(codeOf(onceAnswer), 'not_restartable', JSON.stringify(onceAnswer));
  t.is(codeOf(await control(c, 'restart', dynChild!.id)), 'not_restartable');
  for (const ref of [plain, sup, once, dynChild!]) t.true(system.isAlive(ref));
  await c.close();
});

test('control: no_actor for an unknown id, endpoint_itself for the endpoint, invalid_argument for a bad action', async (t) => {
  const { system, endpoint, debug } = await endpointSystem(t);
  const c = await lineClient(endpoint);
  t.is(codeOf(await control(c, 'kill', 'no-such-actor')), 'no_actor');
  for (const action of ['kill', 'suspend', 'restart']) t.is(codeOf(await control(c, action, debug.id)), 'endpoint_itself', action);
  t.true(system.isAlive(debug));
  t.not(system.getStatus(debug).status, 'suspended');
  t.is(codeOf(await control(c, 'explode', debug.id)), 'invalid_argument');
  c.send({ op: 'control', action: 'kill' });
  t.is(codeOf(await c.next()), 'invalid_argument');
  await c.close();
});
