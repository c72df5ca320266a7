import test from 'ava';
import { eventually, pollUntil } from '../src/index.js';

test('eventually answers true once the condition holds, asking it again while it does not', async (t) => {
  let asked = 0;
  t.true(await eventually(() => ++asked >= 3));
  t.is(asked, 3);
});

test('eventually answers false when the condition never holds within the bound', async (t) => {
  t.false(await eventually(() => false, 10));
});

test('pollUntil awaits an async check and answers whether it came to hold', async (t) => {
  let asked = 0;
  t.true(await pollUntil(async () => ++asked >= 2));
  t.is(asked, 2);
  t.false(await pollUntil(async () => false, 10));
});
