// arbor_tasks.py (PYTHON_TASKS_PATH): the `$task` handler job pools use to run a function
// named by file and name in a real Python worker.
import test from 'ava';
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { pythonProfile, PYTHON_TASKS_PATH, startWorker, WorkerTaskError, type WorkerHandle } from '../../src/index.js';
import { cleanUpFile, fixture, isAlive, rig, track, type Rig } from '../support/helpers.js';

interface Tasks {
  $task(arg: { u: string; n: string; a?: unknown[] | null }): unknown;
}

const counter = fixture('tasks_counter.py');
const async_ = fixture('tasks_async.py');
let r: Rig;
let worker: WorkerHandle<Tasks>;
let pid: number;
test.before(async () => {
  r = await rig();
  worker = await startWorker(r.system, { profile: pythonProfile<Tasks>({ script: PYTHON_TASKS_PATH }), name: 'py-tasks' });
  pid = track((await worker.metadata()).pid);
});
test.after.always(async () => {
  await r?.close();
  await cleanUpFile(); // throws naming the Python worker's pid if it outlived the system
});

const task = (u: string, n: string, a?: unknown[] | null) => worker.request('$task', { u, n, ...(a !== undefined ? { a } : {}) });

test.serial('PYTHON_TASKS_PATH is the shipped arbor_tasks.py, and the worker serves exactly $task', async (t) => {
  t.true(existsSync(PYTHON_TASKS_PATH));
  t.regex(PYTHON_TASKS_PATH, /\/python\/arbor_tasks\.py$/);
  t.deepEqual((await worker.metadata()).methods, ['$task']);
});

test.serial('sync and async functions from two task files run with *a; module state (a counter) is kept across calls, the file imported once', async (t) => {
  t.is(await task(counter, 'add', [2, 3]), 5);
  t.is(await task(counter, 'count', [1]), 1);
  t.is(await task(counter, 'count', [2]), 3);
  t.deepEqual(await task(async_, 'pair', ['x', 7]), { a: 'x', b: 7 }, 'an async function is awaited');
  t.deepEqual(await task(async_, 'remember', ['first']), ['first']);
  t.deepEqual(await task(async_, 'remember', ['second']), ['first', 'second'], 'async module state is kept too');
  t.is(await task(pathToFileURL(counter).href, 'count', [10]), 13, 'a file: URL names the same cached module');
  const all = await Promise.all(Array.from({ length: 20 }, () => task(counter, 'count', [1])));
  t.deepEqual(all, Array.from({ length: 20 }, (_, i) => 14 + i), 'requests in one batch share the state, in order');
  t.is(await task(counter, 'imported_times', []), 1);
  t.is(await task(counter, 'imported_times', null), 1, 'a: null means no arguments');
});

test.serial('a missing function, a missing file, a non-function, a bad argument and a failing import each fail only that request with an error naming it', async (t) => {
  const missingFn = await t.throwsAsync(task(counter, 'nope', []), { instanceOf: WorkerTaskError });
  t.like(missingFn?.remote, { name: 'TaskNotFoundError', code: 'task_not_found' });
  t.regex(missingFn!.remote.message, /tasks_counter\.py has no function 'nope' \(it defines: add, count, fail, imported_times\)/);

  const missingFile = await t.throwsAsync(task('/no/such/dir/tasks.py', 'count', [1]), { instanceOf: WorkerTaskError });
  t.like(missingFile?.remote, { name: 'TaskNotFoundError', code: 'task_not_found' });
  t.regex(missingFile!.remote.message, /no task file \/no\/such\/dir\/tasks\.py/);

  const notFn = await t.throwsAsync(task(counter, 'not_a_function', []), { instanceOf: WorkerTaskError });
  t.regex(notFn!.remote.message, /has no function 'not_a_function'/);

  const badArgs = await t.throwsAsync(worker.request('$task', { u: counter, n: 'add', a: 'x' as never }), { instanceOf: WorkerTaskError });
  t.like(badArgs?.remote, { name: 'TaskArgumentError', code: 'invalid_task' });
  t.regex(badArgs!.remote.message, /a must be a list of positional arguments for add/);
  const noName = await t.throwsAsync(worker.request('$task', { u: counter } as never), { instanceOf: WorkerTaskError });
  t.regex(noName!.remote.message, /n must be a function name/);

  const raised = await t.throwsAsync(task(counter, 'fail', ['bad input']), { instanceOf: WorkerTaskError });
  t.like(raised?.remote, { name: 'ValueError', message: 'bad input' });
  t.regex(raised!.remote.stack ?? '', /Traceback[\s\S]*in fail/);

  for (let i = 0; i < 2; i++) {
    const broken = await t.throwsAsync(task(fixture('tasks_broken.py'), 'anything', []), { instanceOf: WorkerTaskError });
    t.like(broken?.remote, { name: 'RuntimeError', message: 'tasks_broken: fails at import' }, `attempt ${i + 1}: imported again, not cached`);
  }

  t.is(await task(counter, 'add', [40, 2]), 42, 'the worker keeps serving');
  t.is((await worker.stats()).starts, 1, 'and was never restarted');
  t.true(isAlive(pid));
});
