/** localSource against a real system: dumps with memory, actor details, traces and the restart rule (a Supervisor's child only). */
import test from 'ava';
import { childSpec, DynamicSupervisor, NoProcError, Supervisor } from '@arbor/core';
import { localSource } from '../../src/index.js';
import { startShop, Worker, type WorkerProtocol } from './fixture.js';

test('dump has memory; actor answers the state preview and details, null for no live actor; trace of none rejects NoProcError', async (t) => {
  const { system } = await startShop(1);
  t.teardown(() => system.shutdown());
  const source = localSource(system);
  const d = await source.dump();
  t.true((d.memory?.rssBytes ?? 0) > 0);
  t.is(d.roots[0]?.names[0], 'shop');
  const orders = system.whereis<WorkerProtocol>('orders')!;
  system.cast(orders, { type: 'inc', by: 3 });
  t.deepEqual(await source.actor(orders.id), { id: orders.id, state: '3', details: null });
  t.like((await source.actor(system.whereis('db')!.id))?.details, { pool: 'db' });
  t.is(await source.actor('nobody'), null);
  await t.throwsAsync(source.trace('nobody', { max: 5 }, () => {}), { instanceOf: NoProcError });
  const seen: string[] = [];
  const trace = await source.trace(orders.id, { max: 1, kinds: ['received'] }, (e) => seen.push(e.kind));
  system.cast(orders, { type: 'inc', by: 1 });
  t.like(await trace.ended, { reason: 'max', events: 1 });
  t.deepEqual(seen, ['received']);
});

test('restart is refused for a DynamicSupervisor child and a temporary child, and leaves them running', async (t) => {
  const { system } = await startShop(1);
  t.teardown(() => system.shutdown());
  const source = localSource(system);
  const dyn = await DynamicSupervisor.start(system);
  const started = await DynamicSupervisor.startChild(dyn, { start: { behaviour: Worker, arg: 0 } });
  if (started.status !== 'ok') throw new Error('the dynamic child did not start');
  const r = await source.control('restart', started.ref.id);
  t.false(r.ok);
  t.regex(r.ok ? '' : r.reason, /DynamicSupervisor/);
  t.true(system.isAlive(started.ref));
  t.true(system.isAlive(dyn));

  const sup = await Supervisor.start(system, { children: [childSpec(Worker, 0, { id: 'temp', restart: 'temporary' })] });
  const [temp] = await Supervisor.whichChildren(sup);
  const ref = temp!.ref as import('@arbor/core').ActorRef;
  const r2 = await source.control('restart', ref.id);
  t.regex(r2.ok ? '' : r2.reason, /temporary/);
  t.true(system.isAlive(ref));
});
