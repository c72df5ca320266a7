import test from 'ava';
import { createSystem } from '@arbor/core';
import { startWorker, type ResultOf, type TaskContext, type WorkerHandle } from '../src/index.js';
import { allThreadsGone, evalThreadProfile } from './support/evalThreadProfile.js';
import { HANDLERS } from './support/handlers.js';

// The shape a Node worker module exports (`export const handlers = {...}`; `typeof handlers` on the parent).
const handlers = {
  add: (x: number) => x + 1,
  async sleep(ms: number, _ctx: TaskContext): Promise<number> {
    return ms;
  },
  upper: (s: string) => s.toUpperCase(),
};
type Api = typeof handlers;

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const assertType = <T extends true>(_ok: T): void => undefined;

const system = createSystem();
test.after.always(async (t) => {
  await system.shutdown();
  t.true(await allThreadsGone());
});

test('requests are typed by the worker API: method names, argument and reply types', async (t) => {
  const w: WorkerHandle<Api> = await startWorker(system, { profile: evalThreadProfile<Api>(HANDLERS, 1) });
  const n = await w.request('add', 1);
  assertType<Equal<typeof n, number>>(true);
  const slept = w.request('sleep', 5);
  assertType<Equal<typeof slept, Promise<number>>>(true); // a promise reply is unwrapped once
  assertType<Equal<ResultOf<Api, 'upper'>, string>>(true);
  t.is(n, 2);
  t.is(await slept, 5);

  // @ts-expect-error: 'nope' is not a method of Api
  const unknown = w.request('nope', 1);
  await t.throwsAsync(unknown);
  // @ts-expect-error: add takes a number, not a string
  const wrongArg = w.request('add', 'one');
  t.is((await wrongArg) as unknown, 'one1'); // the worker ran it anyway: only the compiler refuses it
  // @ts-expect-error: the reply of add is a number, not a string
  const s: string = await w.request('add', 2);
  t.is(s as unknown, 3);
  await w.stop();
});
