import test from 'ava';
import { InFlightTable } from '../../src/worker/InFlightTable.js';

test('ids come in order; entries are found and taken once, in or out of order', (t) => {
  const table = new InFlightTable<string>();
  const ids = ['a', 'b', 'c', 'd'].map((x) => table.add(x));
  t.deepEqual(ids, [1, 2, 3, 4]);
  t.is(table.size, 4);
  t.is(table.take(3), 'c');
  t.is(table.take(3), undefined);
  t.is(table.get(3), undefined);
  t.is(table.take(1), 'a');
  t.deepEqual(table.values(), ['b', 'd']);
  t.is(table.get(2), 'b');
  t.is(table.take(99), undefined);
  t.is(table.take(0), undefined);
  t.is(table.size, 2);
  t.is(table.nextId, 5);
});

test('a request left unanswered while 100k newer ones come and go (answered out of order) stays findable', (t) => {
  const table = new InFlightTable<number>();
  const hung = table.add(-1);
  const held: number[] = [];
  let late: number | undefined; // every other request is answered after the next one
  let wrong = 0;
  for (let i = 0; i < 100_000; i++) {
    const id = table.add(i);
    if (i % 10_000 === 0) held.push(id);
    else if (late === undefined) late = id;
    else {
      if (table.take(id) !== i) wrong++;
      if (table.take(late) !== late - 2) wrong++; // request i has id i + 2 (the hung one is id 1)
      late = undefined;
    }
  }
  t.is(wrong, 0);
  if (late !== undefined) table.take(late);
  t.is(table.get(hung), -1);
  t.deepEqual(table.values(), [-1, ...held.map((id) => id - 2)]);
  t.is(table.size, 1 + held.length);
  for (const id of held) t.is(table.take(id), id - 2);
  t.is(table.take(hung), -1);
  t.is(table.size, 0);
  t.deepEqual(table.values(), []);
});

test('a full window of live entries grows the ring; values keep id order; clear drops all and ids go on', (t) => {
  const table = new InFlightTable<number>();
  for (let i = 0; i < 1000; i++) table.add(i);
  t.is(table.size, 1000);
  t.deepEqual(table.values(), Array.from({ length: 1000 }, (_, i) => i));
  for (let i = 999; i >= 0; i--) t.is(table.take(i + 1), i);
  t.is(table.size, 0);
  table.add(7);
  table.clear();
  t.is(table.size, 0);
  t.is(table.get(1001), undefined);
  t.is(table.add(8), 1002);
  t.is(table.get(1002), 8);
});
