/**
 * The `Worker` namespace: `start`, `childSpec` and `of` are `startWorker`, `workerSpec` and
 * `workerOf`, run on real worker threads, alone and under a supervisor.
 */
import test from 'ava';
import { createSystem, Supervisor } from '@arbor/core';
import { startWorker, Worker, workerOf, workerSpec, type WorkerHandle } from '../../src/index.js';
import { allThreadsGone, evalThreadProfile } from '../support/evalThreadProfile.js';
import { HANDLERS, type TestApi } from '../support/handlers.js';

const system = createSystem();
test.after.always(async (t) => {
  await system.shutdown();
  t.true(await allThreadsGone(), 'every worker thread exited');
});

const profile = () => evalThreadProfile<TestApi>(HANDLERS, 1);

test('Worker.start, Worker.childSpec and Worker.of are startWorker, workerSpec and workerOf', (t) => {
  t.is(Worker.start, startWorker);
  t.is(Worker.childSpec, workerSpec);
  t.is(Worker.of, workerOf);
});

test('Worker.start resolves with a ready handle; Worker.of by ref reaches the same worker', async (t) => {
  const w: WorkerHandle<TestApi> = await Worker.start(system, { profile: profile() });
  t.is(await w.request('add', 1), 2);
  const again = Worker.of<TestApi>(system, w.ref);
  t.is(again.ref, w.ref);
  t.is(await again.request('add', 41), 42);
  await w.stop();
  t.false(system.isAlive(w.ref));
});

test('Worker.childSpec runs the worker under a supervisor; Worker.of by name reaches it', async (t) => {
  const p = profile();
  t.deepEqual(Worker.childSpec({ profile: p, name: 'adder' }), workerSpec({ profile: p, name: 'adder' }));
  const sup = await Supervisor.start(system, { strategy: 'one_for_one', children: [Worker.childSpec({ profile: p, name: 'adder' })] });
  const adder = Worker.of<TestApi>(system, 'adder');
  t.is(await adder.request('add', 9), 10);
  await system.stop(sup);
  t.false(system.isAlive(adder.ref));
});

// Type tests: the handle is typed by the worker's API.
async function compileOnly(w: WorkerHandle<TestApi>): Promise<void> {
  const n: number = await Worker.of<TestApi>(system, 'adder').request('add', 1);
  void n;
  // @ts-expect-error 'nope' is not a method of TestApi
  await Worker.of<TestApi>(system, 'adder').request('nope', 1);
  // @ts-expect-error add takes a number
  await w.request('add', 'one');
  // @ts-expect-error the options need a profile
  await Worker.start(system, {});
}
void compileOnly;
