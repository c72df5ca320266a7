import test from 'ava';
import { call, childSpec, createSystem, type ActorRef } from '@arbor/core';
import { Pools } from '../../src/index.js';
import { Doubler, waitFor, type DoublerProtocol } from '../support/workers.js';

const system = createSystem();
test.after.always(() => system.shutdown());

test('two pools start side by side: their tables are per pool, nothing clashes (PoolToy :monitors bug)', async (t) => {
  const pools = await Pools.start(system, { name: 'seed.a' });
  const a = await pools.startPool({ name: 'poolio', worker: childSpec(Doubler, undefined), size: 3 });
  const b = await pools.startPool({ name: 'pooly', worker: childSpec(Doubler, undefined), size: 3 });
  t.is(a.status, 'started');
  t.is(b.status, 'started');
  t.deepEqual(pools.names(), ['poolio', 'pooly']);
  if (a.status === 'error' || b.status === 'error') return;
  const x = await a.pool.transaction((w: ActorRef<DoublerProtocol>) => call(w, { type: 'double', n: 21 }));
  t.is(x, 42);
  t.like(await b.pool.status(), { state: 'ready', idle: 3, checkedOut: 0 });
  const again = await pools.startPool({ name: 'poolio', worker: childSpec(Doubler, undefined), size: 1 });
  t.is(again.status, 'already_started');
  await pools.stop();
});

test('a pool restarted 15 times by killing its manager is still stopped by name (PoolToy)', async (t) => {
  const pools = await Pools.start(system, { name: 'seed.b' });
  const r = await pools.startPool({ name: 'poolio', worker: childSpec(Doubler, undefined), size: 3 });
  t.is(r.status, 'started');
  const firstSup = pools.whereis('poolio');
  const managers = new Set<string>();
  for (let i = 0; i < 15; i++) {
    await new Promise((res) => setTimeout(res, 100));
    let manager: ActorRef | undefined;
    await waitFor(() => (manager = pools.pool('poolio').manager) !== undefined, 'the manager');
    managers.add(manager!.id);
    system.exit(manager!, 'kill');
  }
  t.is(managers.size, 15, 'each kill hit a new manager');
  await waitFor(async () => (await pools.pool('poolio').status().catch(() => undefined)) !== undefined, 'the pool answers by name');
  t.not(pools.whereis('poolio'), firstSup, 'the pool supervisor itself restarted (intensity reached)');
  t.is(await pools.stopPool('poolio'), 'ok');
  t.is(pools.whereis('poolio'), undefined);
  t.is(await pools.stopPool('poolio'), 'not_found');
  await pools.stop();
});
