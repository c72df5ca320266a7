import test from 'ava';
import { createSystem } from '@arbor/core';
import { startWorker, WorkerExitError } from '../../src/index.js';
import { allThreadsGone, evalThreadProfile, startedConns, waitFor } from '../support/evalThreadProfile.js';
import { HANDLERS, type TestApi } from '../support/handlers.js';

// stop() racing the worker's own exit: stop waits (up to stopGraceMs) for the in-flight
// requests; when the worker dies meanwhile, its exit settles them, and stop must end then.
const system = createSystem();
test.after.always(async (t) => {
  await system.shutdown();
  t.true(await allThreadsGone(), 'every worker thread exited');
});

test('a worker that dies while stop() waits for its in-flight request: the request rejects with WorkerExitError and stop resolves then, not after stopGraceMs', async (t) => {
  // stopGraceMs of 10 minutes: before the fix stop waited all of it (the test times out)
  const w = await startWorker(system, { profile: evalThreadProfile<TestApi>(HANDLERS, 2), stopGraceMs: 600_000 });
  const conn = startedConns.at(-1)!;
  const hung = w.request('hang', null);
  await waitFor(() => w.load === 1, 'the request in flight');
  const stopped = w.stop();
  conn.terminateExternally();
  await t.throwsAsync(hung, { instanceOf: WorkerExitError });
  await stopped;
  t.false(system.isAlive(w.ref));
});
