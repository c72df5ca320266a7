import test from 'ava';
import { KvUnavailableError, MemoryKvBucket, MemoryKvStore, type KvEntry } from '../../src/index.js';
import { kvContract } from './kvContract.js';

let n = 0;
kvContract(test, 'memory', async () => {
  const bucket = new MemoryKvBucket(`b${n++}`);
  const a = bucket.client('a');
  const b = bucket.client('b');
  return { a, b, done: async () => { await a.close(); await b.close(); } };
});

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

test('memory: setUnavailable rejects every call, after the timeout or at once, and applies nothing', async (t) => {
  const kv = MemoryKvStore.open('u', { timeoutMs: 30 });
  await kv.put('k', enc('1'));
  kv.setUnavailable(true);
  const e = await t.throwsAsync(kv.put('k', enc('2')), { instanceOf: KvUnavailableError });
  t.is(e?.code, 'kv_unavailable');
  t.is(e?.operation, 'put');
  t.is(e?.bucket, 'u');
  kv.setUnavailable(true, { immediate: true });
  await t.throwsAsync(kv.get('k'), { instanceOf: KvUnavailableError });
  kv.setUnavailable(false);
  t.is(new TextDecoder().decode((await kv.get('k'))!.value), '1');
});

test('memory: a cut client is unavailable and its watch silent; on heal it catches up in order', async (t) => {
  const bucket = new MemoryKvBucket('names');
  const a = bucket.client('a', { timeoutMs: 20 });
  const b = bucket.client('b');
  const seen: string[] = [];
  const w = await a.watch((e: KvEntry) => seen.push(`${e.operation} ${e.key}@${e.revision}`));
  bucket.cutClient('a');
  await t.throwsAsync(a.create('x', enc('a')), { instanceOf: KvUnavailableError });
  const r1 = await b.put('x', enc('b'));
  const r2 = await b.put('y', enc('b'));
  const r3 = await b.put('x', enc('b2'));
  await new Promise((r) => setImmediate(r));
  t.deepEqual(seen, []);
  t.is((await b.get('x'))!.revision, r3);
  bucket.healClient('a');
  await new Promise((r) => setTimeout(r, 10));
  w.stop();
  // history 1: the catch-up holds what the bucket still keeps, in revision order (r1 was replaced by r3).
  t.true(r1 < r2);
  t.deepEqual(seen, [`PUT y@${r2}`, `PUT x@${r3}`]);
  t.is((await a.get('x'))!.revision, r3);
});
