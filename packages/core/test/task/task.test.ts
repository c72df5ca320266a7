/**
 * Task: a function run as an actor linked to the calling actor; await (with a typed
 * timeout), yield (the task keeps running), shutdown (with the result if it finished).
 */
import test from 'ava';
import {
  call,
  GenServer,
  InvalidOptionError,
  Task,
  TaskExitError,
  TaskTimeoutError,
  type Call,
  type ExitMessage,
  type TaskFunction,
} from '../../src/index.js';
import { gate } from '../support/actors.js';
import { capturingSystem, eventually, exitReasonOf } from '../support/helpers.js';

interface OwnerProtocol {
  call: Call<'run', Task<unknown>, { fn: TaskFunction<unknown> }> | Call<'exits', readonly unknown[]>;
}

/** An actor that starts tasks for the test and hands back their handles; optionally traps exits. */
class Owner extends GenServer<OwnerProtocol, unknown[], boolean> {
  override init(trap: boolean) {
    this.state = [];
    if (trap) this.trapExit(true);
  }
  override handleCall(req: OwnerProtocol['call']) {
    if (req.type === 'exits') return [...this.state];
    return Task.async(this, req.fn);
  }
  override handleInfo(msg: ExitMessage) {
    this.state.push(msg.reason);
  }
}

test('async runs the function in an actor linked to the caller; await gives its value', async (t) => {
  const { system } = capturingSystem();
  const owner = await system.spawn(Owner, false);
  const release = gate<number>();
  const task = (await call(owner, { type: 'run', fn: () => release.promise })) as Task<number>;
  t.true(system.isAlive(task.ref));
  t.is(task.owner, owner);
  t.deepEqual(system.getStatus(task.ref).links, [owner.id]);
  t.is(system.getStatus(task.ref).parent, owner.id);
  t.is(system.getStatus(task.ref).behaviour, 'TaskRunner');
  release.open(42);
  t.is(await Task.await(task), 42);
  t.is(await Task.await(task), 42, 'awaiting again gives the same value');
  t.is(await exitReasonOf(system, task.ref), 'normal');
  t.true(system.isAlive(owner), 'a normal exit does not take the owner down');
  await system.shutdown();
});

test('await times out with TaskTimeoutError and the task keeps running', async (t) => {
  const { system } = capturingSystem();
  const owner = await system.spawn(Owner, false);
  const release = gate<string>();
  const task = (await call(owner, { type: 'run', fn: () => release.promise })) as Task<string>;
  const e = await t.throwsAsync(Task.await(task, 20), { instanceOf: TaskTimeoutError });
  t.is((e as TaskTimeoutError).code, 'task_timeout');
  t.is((e as TaskTimeoutError).timeout, 20);
  t.true(system.isAlive(task.ref));
  release.open('late');
  t.is(await Task.await(task, Infinity), 'late');
  await system.shutdown();
});

test('a crashing task crashes its linked owner, and await rejects with TaskExitError', async (t) => {
  const { system } = capturingSystem();
  const owner = await system.spawn(Owner, false);
  const task = await call(owner, {
    type: 'run',
    fn: async () => {
      await new Promise((r) => setTimeout(r, 5));
      throw new Error('task failed');
    },
  });
  const e = await t.throwsAsync(Task.await(task), { instanceOf: TaskExitError });
  t.is((e as TaskExitError).code, 'task_exit');
  t.is(((e as TaskExitError).reason as Error).message, 'task failed');
  const ownerReason = await exitReasonOf(system, owner);
  t.is((ownerReason as Error).message, 'task failed', 'the link took the owner down with the same reason');
  await system.shutdown();
});

test('an owner trapping exits survives a crashing task and gets its EXIT', async (t) => {
  const { system } = capturingSystem();
  const owner = await system.spawn(Owner, true);
  const task = await call(owner, {
    type: 'run',
    fn: () => {
      throw new Error('sync throw');
    },
  });
  const r = await Task.yield(task);
  t.is(r?.status, 'exit');
  t.true(await eventually(() => system.getStatus(owner).messagesHandled >= 2));
  const exits = await call(owner, { type: 'exits' });
  t.is((exits[0] as Error).message, 'sync throw');
  t.true(system.isAlive(owner));
  await system.shutdown();
});

test('when the owner exits, its linked task is killed and its signal aborts', async (t) => {
  const { system } = capturingSystem();
  const owner = await system.spawn(Owner, false);
  const aborted = gate<unknown>();
  const task = await call(owner, {
    type: 'run',
    fn: (signal) => {
      signal.addEventListener('abort', () => aborted.open(signal.reason));
      return new Promise(() => {}); // never settles
    },
  });
  system.exit(owner, 'boom');
  t.is(await exitReasonOf(system, task.ref), 'boom');
  t.is(await aborted.promise, 'boom');
  t.deepEqual(await Task.yield(task, 0), { status: 'exit', reason: 'boom' });
  await system.shutdown();
});

test('yield returns undefined while the task runs (it keeps running), then its result', async (t) => {
  const { system } = capturingSystem();
  const owner = await system.spawn(Owner, false);
  const release = gate<string>();
  const task = (await call(owner, { type: 'run', fn: () => release.promise })) as Task<string>;
  t.is(await Task.yield(task, 10), undefined);
  t.is(await Task.yield(task, 0), undefined);
  t.true(system.isAlive(task.ref));
  release.open('done');
  t.deepEqual(await Task.yield(task, 1000), { status: 'ok', value: 'done' });
  await system.shutdown();
});

test('shutdown stops a running task (undefined), without taking the owner down, and aborts its signal', async (t) => {
  const { system } = capturingSystem();
  const owner = await system.spawn(Owner, false);
  let abortedWith: unknown;
  const task = await call(owner, {
    type: 'run',
    fn: (signal) => {
      signal.addEventListener('abort', () => (abortedWith = signal.reason));
      return new Promise(() => {});
    },
  });
  t.is(await Task.shutdown(task), undefined);
  t.false(system.isAlive(task.ref));
  t.is(abortedWith, 'shutdown');
  t.true(system.isAlive(owner), 'shutdown unlinks first');
  t.deepEqual(system.getStatus(owner).links, []);

  const killed = await call(owner, { type: 'run', fn: () => new Promise(() => {}) });
  t.is(await Task.shutdown(killed, 'brutal_kill'), undefined);
  t.is(system.getStatus(killed.ref).exitReason, 'killed');
  t.true(system.isAlive(owner));
  await system.shutdown();
});

test('shutdown returns the result when the task finished meanwhile, or its crash', async (t) => {
  const { system } = capturingSystem();
  const owner = await system.spawn(Owner, true);
  const finished = (await call(owner, { type: 'run', fn: () => 7 })) as Task<number>;
  await eventually(() => !system.isAlive(finished.ref));
  t.deepEqual(await Task.shutdown(finished), { status: 'ok', value: 7 });

  const crashed = await call(owner, {
    type: 'run',
    fn: () => {
      throw new Error('before shutdown');
    },
  });
  await Task.yield(crashed);
  const r = await Task.shutdown(crashed);
  t.is(r?.status, 'exit');
  t.is(((r as { reason: Error }).reason).message, 'before shutdown');
  await system.shutdown();
});

test('misuse rejects with InvalidOptionError naming the argument', async (t) => {
  const { system } = capturingSystem();
  const owner = await system.spawn(Owner, false);
  const e = await t.throwsAsync(call(owner, { type: 'run', fn: 5 as never }));
  t.regex(String((e as Error).message), /exited with InvalidOptionError: Task\.async: fn must be a function/);
  const task = await call((await system.spawn(Owner, false)), { type: 'run', fn: () => 1 });
  await t.throwsAsync(Task.await(task, -1), { instanceOf: InvalidOptionError, message: /timeout must be a number of milliseconds from 0 to 2147483647, or Infinity/ });
  await t.throwsAsync(Task.yield({} as never), { instanceOf: InvalidOptionError, message: /task must be a Task/ });
  await t.throwsAsync(Task.shutdown(task, 'later' as never), { instanceOf: InvalidOptionError, message: /shutdown must be/ });
  await system.shutdown();
});

test('yield can poll a running task many times; a later await still gets its value', async (t) => {
  const { system } = capturingSystem();
  const owner = await system.spawn(Owner, false);
  const release = gate<string>();
  const task = (await call(owner, { type: 'run', fn: () => release.promise })) as Task<string>;
  for (let i = 0; i < 50; i++) t.is(await Task.yield(task, 0), undefined);
  const waiting = Task.await(task, Infinity);
  release.open('finally');
  t.is(await waiting, 'finally');
  t.deepEqual(await Task.yield(task, 0), { status: 'ok', value: 'finally' });
  await system.shutdown();
});

test('a timeout longer than the longest Node timer is refused, not turned into an immediate timeout', async (t) => {
  const { system } = capturingSystem();
  const owner = await system.spawn(Owner, false);
  const release = gate<number>();
  const task = await call(owner, { type: 'run', fn: () => release.promise });
  // Node runs a setTimeout above 2^31-1 ms after 1 ms: that must not be a TaskTimeoutError.
  for (const op of [() => Task.await(task, 2 ** 31), () => Task.yield(task, 2 ** 31), () => Task.shutdown(task, 2 ** 31)]) {
    const e = await t.throwsAsync(op(), { instanceOf: InvalidOptionError });
    t.regex(e!.message, /2147483647|Infinity/);
  }
  const pending = Task.await(task, 2 ** 31 - 1);
  release.open(7);
  t.is(await pending, 7);
  t.is(await Task.await(task, Infinity), 7);
  await system.shutdown();
});
