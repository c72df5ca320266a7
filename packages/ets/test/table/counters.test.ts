import test from 'ava';
import { CounterError, Ets, type SetTable } from '../../src/index.js';
import { hosts, inActor } from '../support/hosts.js';

test('updateCounter: increments, default, threshold wrap both ways, errors', async (t) => {
  const { system, refs } = await hosts(1);
  const c = await inActor(refs[0]!, (self) => Ets.create<string, number>(self, { type: 'set', access: 'public' }));
  t.is(c.updateCounter('a', 1, 0), 1);
  t.is(c.updateCounter('a', 5), 6);
  t.is(c.updateCounter('a', -2), 4);
  t.throws(() => c.updateCounter('missing', 1), { instanceOf: CounterError });
  const wrap = [0, 1, 2, 3].map(() => c.updateCounter('slot', { incr: 1, threshold: 2, setValue: 0 }, -1));
  t.deepEqual(wrap, [0, 1, 2, 0], 'past the threshold going up, the counter wraps to setValue');
  c.insert('down', 2);
  const down = [0, 1, 2].map(() => c.updateCounter('down', { incr: -1, threshold: 1, setValue: 9 }));
  t.deepEqual(down, [1, 9, 8], 'below the threshold going down, it wraps too');
  (c as unknown as SetTable<string, unknown>).insert('s', 'text');
  t.throws(() => c.updateCounter('s', 1), { instanceOf: CounterError });
  t.throws(() => c.updateCounter('a', { incr: 1, threshold: 5 }), { instanceOf: CounterError });
  t.throws(() => c.updateCounter('a', NaN), { instanceOf: CounterError });
  await system.shutdown();
});

test('counters stay exact under interleaved async actors', async (t) => {
  const { system, refs } = await hosts(8);
  const owner = refs[0]!;
  await inActor(owner, (self) => {
    Ets.create<string, number>(self, { type: 'set', name: 'hits', access: 'public' });
  });
  const rounds = 200;
  await Promise.all(
    refs.map((ref, i) =>
      inActor(ref, async (self) => {
        const hits = Ets.whereis<string, number>(self, 'hits', 'set')!;
        for (let r = 0; r < rounds; r++) {
          hits.updateCounter('total', 1, 0);
          hits.updateCounter(`actor:${i}`, 1, 0);
          // Yield between increments so the actors interleave.
          if (r % 3 === i % 3) await new Promise((res) => setImmediate(res));
          else await Promise.resolve();
        }
      }),
    ),
  );
  const hits = Ets.whereis<string, number>(system, 'hits', 'set')!;
  t.is(hits.lookup('total'), rounds * refs.length);
  for (let i = 0; i < refs.length; i++) t.is(hits.lookup(`actor:${i}`), rounds);
  await system.shutdown();
});
