// JobPool.start on a fresh system: it starts the default pools tree, once, however many pools start at once.
import test from 'ava';
import { createSystem } from '@arbor/core';
import { JobPool, Pools } from '../../src/index.js';
import { allTaskThreadsExited, trackedTaskProfile } from '../support/taskThreads.js';
import { T } from '../support/jobs.js';

const system = createSystem();
test.after.always(async (t) => {
  await Pools.of(system).stop();
  await system.shutdown();
  t.true(await allTaskThreadsExited(), 'every worker thread exited');
});

test('three JobPool.start calls at once on a fresh system: one pools tree, three pools that run jobs', async (t) => {
  const pools = await Promise.all(['s1', 's2', 's3'].map((name) => JobPool.start(system, { name, profile: trackedTaskProfile() })));
  t.deepEqual(await Promise.all(pools.map((p, i) => p.run(T.add, [i, 1]))), [1, 2, 3]);
  t.deepEqual(Pools.of(system).names().sort(), ['s1', 's2', 's3']);
});
