/**
 * TaskSupervisor: supervised tasks the caller is not linked to (asyncNolink: a crash is a
 * TaskExitError on await), fire-and-forget tasks (startChild, temporary by default or
 * transient), and the supervisor as a child of a tree.
 */
import test from 'ava';
import {
  call,
  dump,
  GenServer,
  MaxChildrenError,
  renderDump,
  Supervisor,
  Task,
  TaskExitError,
  TaskSupervisor,
  type Call,
  type TaskFunction,
  type TaskSupervisorRef,
} from '../../src/index.js';
import { gate } from '../support/actors.js';
import { capturingSystem, eventually, exitReasonOf } from '../support/helpers.js';

interface CallerProtocol {
  call: Call<'run', unknown, { fn: TaskFunction<unknown> }>;
}

/** An actor that runs a task on a task supervisor and awaits it inside its handler. */
class Caller extends GenServer<CallerProtocol, undefined, TaskSupervisorRef> {
  #tasks!: TaskSupervisorRef;
  override init(tasks: TaskSupervisorRef) {
    this.#tasks = tasks;
  }
  override async handleCall(req: { type: 'run'; fn: TaskFunction<unknown> }) {
    const task = await TaskSupervisor.asyncNolink(this.#tasks, req.fn);
    try {
      return { ok: await Task.await(task) };
    } catch (e) {
      return { error: e instanceof TaskExitError ? `${e.code}: ${String((e.reason as Error).message)}` : String(e) };
    }
  }
}

test('asyncNolink: the value is awaited; a crash is a TaskExitError for the caller, which keeps running', async (t) => {
  const { system } = capturingSystem();
  const tasks = await TaskSupervisor.start(system);
  const caller = await system.spawn(Caller, tasks);
  t.deepEqual(await call(caller, { type: 'run', fn: async () => 'fine' }), { ok: 'fine' });
  t.deepEqual(
    await call(caller, {
      type: 'run',
      fn: () => {
        throw new Error('bad input');
      },
    }),
    { error: 'task_exit: bad input' },
  );
  t.true(system.isAlive(caller), 'not linked: the crash did not reach the caller');
  t.true(system.isAlive(tasks), 'the supervisor absorbs a temporary child crashing');
  t.deepEqual(await TaskSupervisor.children(tasks), [], 'a crashed temporary task is not restarted');
  await system.shutdown();
});

test('asyncNolink: the task is the supervisor\'s child, not linked to the caller; children lists running tasks', async (t) => {
  const { system } = capturingSystem();
  const tasks = await TaskSupervisor.start(system);
  const release = gate<number>();
  const task = await TaskSupervisor.asyncNolink(tasks, () => release.promise);
  const status = system.getStatus(task.ref);
  t.is(status.parent, tasks.id);
  t.deepEqual(status.links, [tasks.id]);
  t.is(task.owner, undefined);
  t.deepEqual(await TaskSupervisor.children(tasks), [task.ref]);
  t.regex(renderDump(dump(system)), /TaskSupervisor #\S+ waiting[\s\S]*TaskRunner #\S+ running fn=anonymous/);
  release.open(3);
  t.is(await Task.await(task), 3);
  t.true(await eventually(() => system.getStatus(tasks).links.length === 0));
  await system.shutdown();
});

test('stopping the task supervisor stops its tasks: await rejects with the shutdown', async (t) => {
  const { system } = capturingSystem();
  const tasks = await TaskSupervisor.start(system);
  const task = await TaskSupervisor.asyncNolink(tasks, () => new Promise(() => {}));
  await system.stop(tasks, 'shutdown');
  const e = await t.throwsAsync(Task.await(task), { instanceOf: TaskExitError });
  t.is((e as TaskExitError).reason, 'shutdown');
  await system.shutdown();
});

test('startChild: fire-and-forget, temporary by default; transient runs it again after a crash', async (t) => {
  const { system } = capturingSystem();
  const tasks = await TaskSupervisor.start(system);
  const ran: string[] = [];
  const ref = await TaskSupervisor.startChild(tasks, () => void ran.push('once'));
  t.is(await exitReasonOf(system, ref), 'normal');
  t.deepEqual(ran, ['once']);

  let attempts = 0;
  const done = gate<number>();
  await TaskSupervisor.startChild(
    tasks,
    () => {
      attempts++;
      if (attempts < 3) throw new Error(`attempt ${attempts}`);
      done.open(attempts);
    },
    { restart: 'transient' },
  );
  t.is(await done.promise, 3, 'crashed twice, restarted, then finished');
  t.true(await eventually(() => system.getStatus(tasks).links.length === 0), 'a transient task that finishes normally is not restarted');

  let temporaryRuns = 0;
  const crashed = await TaskSupervisor.startChild(tasks, () => {
    temporaryRuns++;
    throw new Error('once only');
  });
  await exitReasonOf(system, crashed);
  t.deepEqual(await TaskSupervisor.children(tasks), []);
  t.is(temporaryRuns, 1);
  await system.shutdown();
});

test('a task supervisor in a tree: restarted by its parent, and maxChildren refuses extra tasks', async (t) => {
  const { system } = capturingSystem();
  const root = await Supervisor.start(system, {
    strategy: 'one_for_one',
    children: [TaskSupervisor.childSpec({ maxChildren: 1 }, { id: 'tasks', options: { name: 'tasks' } })],
  });
  const [entry] = await Supervisor.whichChildren(root);
  t.like(entry, { id: 'tasks', type: 'supervisor' });
  const tasks = system.whereis('tasks') as TaskSupervisorRef;
  const first = await TaskSupervisor.asyncNolink(tasks, () => new Promise(() => {}));
  await t.throwsAsync(TaskSupervisor.asyncNolink(tasks, () => 1), { instanceOf: MaxChildrenError });
  system.exit(tasks, 'kill');
  t.true(await eventually(() => system.whereis('tasks') !== undefined && system.whereis('tasks') !== tasks));
  const again = system.whereis('tasks') as TaskSupervisorRef;
  t.is((await Task.yield(first))?.status, 'exit', 'its tasks went down with it');
  const task = await TaskSupervisor.asyncNolink(again, () => 'after restart');
  t.is(await Task.await(task), 'after restart');
  await system.shutdown();
});

test('startChild transient: a task run again after a crash gets a fresh signal, not the aborted one of the crashed run', async (t) => {
  const { system } = capturingSystem();
  const tasks = await TaskSupervisor.start(system);
  const seen: boolean[] = [];
  const done = gate<void>();
  await TaskSupervisor.startChild(
    tasks,
    (signal) => {
      seen.push(signal.aborted);
      if (seen.length < 2) throw new Error('first run crashes');
      done.open();
    },
    { restart: 'transient' },
  );
  await done.promise;
  t.deepEqual(seen, [false, false]);
  await system.shutdown();
});
