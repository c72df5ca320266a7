import test from 'ava';
import { nodeProcessProfile, pythonProfile, startWorker, threadProfile, WorkerTaskError, type WorkerHandle } from '../../src/index.js';
import { cleanUpFile, fixture, rig, track } from '../support/helpers.js';

// A request whose argument cannot cross to the worker (a function for structured clone, a
// BigInt for JSON) fails alone, with a typed error, sent or queued; the requests around it
// and the worker are not affected. (Before: the outbox closed, so that request and every
// later one never settled; on stdio the throw escaped request(), or a reply handler.)
const r = await rig();
test.after.always(async () => {
  await r.close();
  await cleanUpFile();
});

const nodeModule = new URL('../fixtures/nodeWorker.js', import.meta.url);
/** Settles within this or the test fails (instead of hanging): the bug left requests unsettled. */
const GUARD = { timeoutMs: 10_000 };

async function unsendableFailsAlone(t: import('ava').ExecutionContext, w: WorkerHandle<unknown>, method: string, good: (i: number) => unknown, expected: (i: number) => unknown, bad: unknown): Promise<void> {
  const req = w.request as (m: string, a: unknown, o?: object) => Promise<unknown>;
  // in one batch with good requests; then queued behind a running one (capacity 1 workers)
  const results = await Promise.allSettled([req.call(w, method, good(1), GUARD), req.call(w, method, bad, GUARD), req.call(w, method, good(2), GUARD)]);
  t.deepEqual(results[0], { status: 'fulfilled', value: expected(1) });
  t.deepEqual(results[2], { status: 'fulfilled', value: expected(2) });
  t.is(results[1]!.status, 'rejected');
  const error = (results[1] as PromiseRejectedResult).reason as WorkerTaskError;
  t.true(error instanceof WorkerTaskError, String(error));
  t.is(error.remote.code, 'unserializable_request');
  t.regex(error.message, /could not be sent to the worker/);
  // alone, too, and the worker serves on
  await t.throwsAsync(req.call(w, method, bad, GUARD), { instanceOf: WorkerTaskError });
  t.is(await req.call(w, method, good(3), GUARD), expected(3));
  t.is(w.load, 0);
}

test('thread: a request whose argument cannot be cloned fails alone with unserializable_request', async (t) => {
  const w = await startWorker(r.system, { profile: threadProfile({ module: nodeModule }) });
  await unsendableFailsAlone(t, w, 'echo', (i) => i, (i) => i, () => 1);
  await w.stop();
});

test('node process (JSON IPC): a request whose argument JSON cannot carry fails alone with unserializable_request', async (t) => {
  const w = await startWorker(r.system, { profile: nodeProcessProfile({ module: nodeModule }) });
  track((await w.metadata()).pid);
  await unsendableFailsAlone(t, w, 'echo', (i) => i, (i) => i, 1n);
  await w.stop();
});

test('python (stdio JSON): a request whose argument JSON cannot carry fails alone with unserializable_request', async (t) => {
  const w = await startWorker(r.system, { profile: pythonProfile({ script: fixture('worker.py') }) });
  track((await w.metadata()).pid);
  await unsendableFailsAlone(t, w, 'upper', (i) => `a${i}`, (i) => `A${i}`, 1n);
  await w.stop();
});
