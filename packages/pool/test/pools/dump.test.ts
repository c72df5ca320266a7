// The debug dump shows a pool's manager with its counters (formatStatus), as `arbor dump` prints them.
import test from 'ava';
import { childSpec, createSystem, dump, renderDump, type DumpNode } from '@arbor/core';
import { Pools } from '../../src/index.js';
import { started } from '../support/clients.js';
import { Doubler, waitFor } from '../support/workers.js';

const system = createSystem({ name: 'pool-dump' });
test.after.always(() => system.shutdown());

function find(nodes: readonly DumpNode[], pred: (n: DumpNode) => boolean): DumpNode[] {
  const out: DumpNode[] = [];
  const stack = [...nodes];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (pred(n)) out.push(n);
    stack.push(...n.children);
  }
  return out;
}

test('dump(system) shows each pool manager with its pool name, idle, checkedOut and waiting', async (t) => {
  const pools = await Pools.start(system, { name: 'dumped' });
  const db = await started(pools.startPool({ name: 'db', worker: childSpec(Doubler, undefined), size: 3 }));
  const cache = await started(pools.startPool({ name: 'cache', worker: childSpec(Doubler, undefined), size: 1, maxOverflow: 1 }));
  const lease = await db.checkout();
  const l2 = await cache.checkout();
  const l3 = await cache.checkout(); // the overflow worker
  const l4 = cache.checkout({ timeoutMs: Infinity }); // waits: size + maxOverflow are out
  await waitFor(async () => (await cache.status()).waiting === 1, 'the checkout to wait');

  const d = dump(system);
  const managers = find(d.roots, (n) => n.behaviour === 'PoolManager');
  t.is(managers.length, 2);
  const byPool = new Map(managers.map((m) => [m.details?.pool, m]));
  t.like(byPool.get('db')?.details, { pool: 'db', state: 'ready', idle: 2, checkedOut: 1, waiting: 0, size: 3 });
  t.like(byPool.get('cache')?.details, { pool: 'cache', state: 'full', idle: 0, checkedOut: 2, waiting: 1, maxOverflow: 1 });
  t.is(byPool.get('db')?.childId, 'manager', 'under its pool supervisor');
  t.true(byPool.get('db')?.names.some((name) => name.includes('db/manager')), `names: ${byPool.get('db')?.names.join()}`);
  const text = renderDump(d);
  t.regex(text, /PoolManager #\S+ waiting .*pool=db .*idle=2 .*checkedOut=1 .*waiting=0/);
  t.regex(text, /PoolManager #\S+ waiting .*pool=cache .*checkedOut=2 .*waiting=1/);
  t.deepEqual(JSON.parse(JSON.stringify(d)), d, 'plain data');

  lease.checkin();
  l2.checkin();
  l3.checkin();
  (await l4).checkin();
  await cache.status();
  t.like(find(dump(system).roots, (n) => n.details?.pool === 'cache')[0]?.details, { waiting: 0, checkedOut: 0 });
  await pools.stop();
});
