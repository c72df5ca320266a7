/** Misuse of the node API throws (or rejects with) a typed error that names the option and says how to fix the call. */
import test from 'ava';
import { ArborError, createLogger, createSystem, InvalidOptionError } from '@arbor/core';
import { junkValues } from '@arbor/test-support';
import { ClusterLeftError, joinCluster, MemoryNetwork } from '../../src/index.js';
import { NodeProbe } from '../support/actors.js';

const base = () => ({ cluster: 't', node: 'a', transport: new MemoryNetwork().connect('a') });

test('joinCluster refuses bad options with InvalidOptionError naming the option', async (t) => {
  const system = createSystem({ logger: createLogger('silent') });
  const cases: [string, Record<string, unknown>][] = [
    ['options.cluster', { ...base(), cluster: 'has.dot' }],
    ['options.node', { ...base(), node: '' }],
    ['options.node', { ...base(), node: 'a b' }],
    ['options.nats', { cluster: 't', node: 'a' }],
    ['options.nats', { ...base(), nats: { servers: 'nats://127.0.0.1:1' } }],
    ['options.heartbeatMs', { ...base(), heartbeatMs: 0 }],
    ['options.downAfterMs', { ...base(), heartbeatMs: 100, downAfterMs: 150 }],
    ['options.behaviours.X', { ...base(), behaviours: { X: 5 } }],
    ['options.sys', { ...base(), sys: { user: 'u', pass: 'p' } }],
    ['options.disconnects', { ...base(), disconnects: 'no' }],
    ['heartbeatMS', { ...base(), heartbeatMS: 100 }],
  ];
  for (const [path, options] of cases) {
    const e = await t.throwsAsync(joinCluster(system, options as never), { instanceOf: InvalidOptionError }, path);
    t.true(e!.message.includes(path), `${path}: ${e!.message}`);
  }
  for (const [label, junk] of junkValues()) {
    const e = await t.throwsAsync(joinCluster(system, junk as never), undefined, label);
    t.true(e instanceof ArborError, `joinCluster(${label}) rejects with an ArborError`);
    const e2 = await t.throwsAsync(joinCluster(junk as never, base()), undefined, label);
    t.true(e2 instanceof ArborError, `joinCluster(system = ${label}) rejects with an ArborError`);
  }
  await system.shutdown();
});

test('cluster methods refuse junk with ArborErrors; after leave, spawn rejects ClusterLeftError', async (t) => {
  const system = createSystem({ logger: createLogger('silent') });
  const cluster = await joinCluster(system, { ...base(), behaviours: { NodeProbe } });
  for (const [label, junk] of junkValues()) {
    for (const [what, run] of [
      ['spawn node', () => cluster.spawn(junk as never, 'NodeProbe')],
      ['spawn behaviour', () => cluster.spawn('b', junk as never)],
      ['spawn options', () => cluster.spawn('b', 'NodeProbe', 1, junk as never)],
      ['onNode', () => cluster.onNode(junk as never)],
      ['monitorNode watcher', () => cluster.monitorNode(junk as never, 'b')],
    ] as const) {
      if (what === 'onNode' && typeof junk === 'function') continue; // a function is a valid listener
      let outcome: unknown;
      try {
        outcome = await (run as () => unknown)();
      } catch (e) {
        outcome = e;
      }
      // Options junk that is a plain object or undefined is a valid (empty) options value: the spawn then fails on the node.
      t.true(outcome instanceof ArborError, `${what}(${label}) gives an ArborError, got ${String(outcome)}`);
    }
  }
  await cluster.leave();
  await t.throwsAsync(cluster.spawn('b', 'NodeProbe'), { instanceOf: ClusterLeftError });
  await system.shutdown();
});
