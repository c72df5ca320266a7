// A job pool's calls are typed by the task: the compiler (tsc over test/) is the check here;
// each @ts-expect-error fails the build if the line compiles. The runtime parts run for real.
import test from 'ava';
import { defineTask, JobRejectedError, taskFromSource, type JobRef, type TaskArgs, type TaskResult } from '../../src/index.js';
import { jobRig, T } from '../support/jobs.js';

type Equal<A, B> = (<X>() => X extends A ? 1 : 2) extends <X>() => X extends B ? 1 : 2 ? true : false;
const assertType = <V extends true>(_ok: V): void => undefined;

const rig = jobRig(test, 1);

test('run(task, args): args are checked against the task, the result type is inferred', async (t) => {
  const pool = await rig.pool('types', { minWorkers: 1, maxWorkers: 1 });
  const add = T.add;
  assertType<Equal<TaskArgs<typeof add>, [number, number]>>(true);
  assertType<Equal<TaskResult<typeof add>, number>>(true);
  const sum = await pool.run(add, [1, 2]);
  assertType<Equal<typeof sum, number>>(true);
  t.is(sum, 3);
  // @ts-expect-error a string is not a number (at run time the untyped call goes through: 'x' + the task context)
  t.is(typeof (await pool.run(add, ['x'])), 'string');
  // @ts-expect-error too few arguments
  void pool.run(add, [1]).catch(() => undefined);
  // @ts-expect-error too many arguments
  void pool.run(add, [1, 2, 3]).catch(() => undefined);
  // @ts-expect-error the result is a number, not a string
  const wrong: string = await pool.run(add, [1, 2]);
  void wrong;

  const shout = defineTask<[string], Promise<string>>(new URL('../fixtures/tasks.js', import.meta.url), 'add');
  const p = pool.run(shout, ['a']);
  assertType<Equal<typeof p, Promise<string>>>(true);
  await p.catch(() => undefined);

  const square = taskFromSource((n: number) => n * n);
  const sq = await pool.run(square, [7]);
  assertType<Equal<typeof sq, number>>(true);
  t.is(sq, 49);
  // @ts-expect-error a source task is typed by its function too
  void pool.run(square, ['7']).catch(() => undefined);
});

test('async returns JobRef<R> | JobRejectedError; await(ref) is typed by R', async (t) => {
  const pool = await rig.pool('typesAsync', { minWorkers: 1, maxWorkers: 1 });
  const ref = pool.async(T.add, [2, 3]);
  assertType<Equal<typeof ref, JobRef<number> | JobRejectedError>>(true);
  if (ref instanceof JobRejectedError) return t.fail(ref.message);
  const v = await pool.await(ref);
  assertType<Equal<typeof v, number>>(true);
  t.is(v, 5);
  // @ts-expect-error async checks the arguments as run does
  void pool.async(T.add, ['x', 1]);
});
