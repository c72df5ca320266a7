import test from 'ava';
import { createSystem } from '@arbor/core';
import { RequestAbortedError, startWorker, threadProfile, WorkerTaskError } from '../../src/index.js';
import type { Api } from '../fixtures/nodeWorker.js';

// The request path end to end over a real thread (ThreadConn's packed wire, the runtime, the
// channel's in-flight table): many requests at once, answered out of order, one held for long.
const module = new URL('../fixtures/nodeWorker.js', import.meta.url);
const system = createSystem();
test.after.always(() => system.shutdown());

test('20k concurrent requests (sync, async, failing) each settle with their own answer over a thread', async (t) => {
  const w = await startWorker(system, { profile: threadProfile<Api>({ module, capacity: 256 }) });
  const n = 20_000;
  const out = await Promise.allSettled(
    Array.from({ length: n }, (_, i) => (i % 3 === 0 ? w.request('add', i) : i % 3 === 1 ? w.request('later', i) : w.request('fail', `no ${i}`))),
  );
  let wrong = 0;
  for (let i = 0; i < n; i++) {
    const r = out[i]!;
    if (i % 3 === 0) wrong += r.status === 'fulfilled' && r.value === i + 1 ? 0 : 1;
    else if (i % 3 === 1) wrong += r.status === 'fulfilled' && r.value === i * 2 ? 0 : 1;
    else wrong += r.status === 'rejected' && r.reason instanceof WorkerTaskError && (r.reason as Error).message.includes(`no ${i}`) ? 0 : 1;
  }
  t.is(wrong, 0);
  t.is(w.load, 0);
  await w.stop();
});

test('a request held in the worker while 30k newer ones come and go is still answered by its own reply, and its abort cancels it', async (t) => {
  const w = await startWorker(system, { profile: threadProfile<Api>({ module, capacity: 8 }) });
  const ac = new AbortController();
  const held = w.request('waitForAbort', null, { signal: ac.signal });
  for (let round = 0; round < 30; round++) {
    const replies = await Promise.all(Array.from({ length: 1000 }, (_, i) => w.request('add', round * 1000 + i)));
    t.true(replies.every((v, i) => v === round * 1000 + i + 1));
  }
  t.is(w.load, 1);
  ac.abort();
  await t.throwsAsync(held, { instanceOf: RequestAbortedError });
  t.is(await w.request('aborts', null), 1);
  t.is(w.load, 0);
  await w.stop();
});
