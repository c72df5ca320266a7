import type { ActorRef } from '../kernel/index.js';
import { Behaviour } from '../behaviour/Behaviour.js';
import { InvalidOptionError } from '../errors/errors.js';
import type { ActorSystem } from '../system/ActorSystem.js';
import { checkFunction } from '../validation/function.js';
import { checkTimeout } from '../validation/timeout.js';
import { TaskExitError, TaskTimeoutError } from './errors.js';
import { TaskLink, TaskRunner, type TaskFunction, type TaskResult } from './TaskRunner.js';

/** Any behaviour instance: the actor a task is started from (`this` in a hook). */
type Owner = Behaviour<any, any, any>;

const DEFAULT_TIMEOUT = 5000;

/**
 * A running function, as an actor (Elixir's `Task`). Start one with `Task.async` from
 * inside an actor (linked to it) or `TaskSupervisor.asyncNolink` (supervised, not linked);
 * then `Task.await` its value, `Task.yield` to poll, or `Task.shutdown` to stop it.
 * `Task<T>` carries the function's result type.
 *
 * @example
 * class Fetcher extends GenServer<{ call: Call<'fetch', string, { url: string }> }> {
 *   override async handleCall(req: { type: 'fetch'; url: string }) {
 *     const task = await Task.async(this, () => download(req.url));
 *     return Task.await(task, 10_000); // typed as what download resolves to
 *   }
 * }
 */
export class Task<T> {
  /** The task's actor (alive while the function runs). */
  readonly ref: ActorRef;
  /** The actor it is linked to (`Task.async`), or undefined (`asyncNolink`). */
  readonly owner: ActorRef | undefined;
  readonly #link: TaskLink<T>;
  readonly #system: ActorSystem;
  readonly #ownerBehaviour: Owner | undefined;

  /** @internal */
  constructor(ref: ActorRef, link: TaskLink<T>, system: ActorSystem, owner: Owner | undefined) {
    this.ref = ref;
    this.#link = link;
    this.#system = system;
    this.#ownerBehaviour = owner;
    this.owner = owner?.self;
  }

  /**
   * Runs `fn` in a new actor linked to the calling actor `owner` (pass `this` from a
   * hook): if the task crashes, so does the owner (unless it traps exits), and if the
   * owner exits, the task is killed. `fn` receives an `AbortSignal` that aborts when the
   * task is stopped or killed.
   *
   * @example
   * const task = await Task.async(this, async (signal) => (await fetch(url, { signal })).json());
   */
  static async<T>(owner: Owner, fn: TaskFunction<T>): Promise<Task<Awaited<T>>> {
    try {
      checkOwner('Task.async', owner);
      checkFunction('Task.async: fn', fn, 'a function (signal) => value or promise');
      const link = new TaskLink(fn as TaskFunction<Awaited<T>>);
      // spawnLink throws at once for a behaviour that was never started (`new GenServer()`).
      return owner.spawnLink(TaskRunner, link as TaskLink<unknown>).then((ref) => new Task(ref, link, owner.system, owner));
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** Wraps a task actor started elsewhere (`TaskSupervisor`). @internal */
  static of<T>(ref: ActorRef, link: TaskLink<T>, system: ActorSystem): Task<T> {
    return new Task(ref, link, system, undefined);
  }

  /**
   * The task's value. Rejects with `TaskExitError` if the task crashed or was stopped, or
   * `TaskTimeoutError` after `timeout` ms (default 5000; `Infinity` waits forever), in
   * which case the task keeps running. May be called more than once.
   *
   * @example
   * const value = await Task.await(task, 1000);
   */
  static await<T>(task: Task<T>, timeout: number = DEFAULT_TIMEOUT): Promise<T> {
    return Task.yield(task, timeout).then((r) => {
      if (r === undefined) throw new TaskTimeoutError(task.ref, timeout);
      if (r.status === 'exit') throw new TaskExitError(task.ref, r.reason);
      return r.value;
    });
  }

  /**
   * Waits up to `timeout` ms (default 5000) for the task: `{ status: 'ok', value }`,
   * `{ status: 'exit', reason }`, or undefined if it is still running (it keeps running).
   *
   * @example
   * const r = await Task.yield(task, 0);
   * if (r === undefined) console.log('still working');
   */
  static yield<T>(task: Task<T>, timeout: number = DEFAULT_TIMEOUT): Promise<TaskResult<T> | undefined> {
    if (!(task instanceof Task)) return Promise.reject(new InvalidOptionError('task', 'a Task returned by Task.async or TaskSupervisor.asyncNolink', task));
    try {
      checkTimeout('timeout', timeout);
    } catch (e) {
      return Promise.reject(e);
    }
    return task.#link.within(timeout);
  }

  /**
   * Stops the task: unlinks it from its owner, sends it `shutdown` (or kills it with
   * `'brutal_kill'`; a task still alive after `shutdown` ms is killed). Resolves with the
   * result if the task finished meanwhile (`ok`, or `exit` if it had crashed), or
   * undefined if it was stopped before it finished.
   *
   * @example
   * const r = await Task.shutdown(task);
   * if (r?.status === 'ok') use(r.value);
   */
  static shutdown<T>(task: Task<T>, shutdown: number | 'brutal_kill' = DEFAULT_TIMEOUT): Promise<TaskResult<T> | undefined> {
    if (!(task instanceof Task)) return Promise.reject(new InvalidOptionError('task', 'a Task returned by Task.async or TaskSupervisor.asyncNolink', task));
    if (shutdown !== 'brutal_kill') {
      try {
        checkTimeout('shutdown', shutdown, { or: "'brutal_kill'" });
      } catch (e) {
        return Promise.reject(e);
      }
    }
    const link = task.#link;
    if (link.result !== undefined) return Promise.resolve(link.result);
    const owner = task.#ownerBehaviour;
    if (owner !== undefined && task.#system.isAlive(owner.self)) owner.unlink(task.ref);
    const system = task.#system;
    const signal = shutdown === 'brutal_kill' ? 'kill' : 'shutdown';
    system.exit(task.ref, signal);
    const timer = typeof shutdown === 'number' && shutdown !== Infinity ? setTimeout(() => system.exit(task.ref, 'kill'), shutdown) : undefined;
    return link.settled().then((r) => {
      if (timer !== undefined) clearTimeout(timer);
      if (r.status === 'exit' && (r.reason === 'shutdown' || r.reason === 'killed')) return undefined;
      return r;
    });
  }
}

/** The rule for `Task.async`'s owner: the calling actor's behaviour (`this` in a hook). */
function checkOwner(operation: string, owner: unknown): void {
  if (!(owner instanceof Behaviour)) {
    throw new InvalidOptionError(`${operation}: owner`, 'the calling actor (pass `this` from a GenServer hook)', owner);
  }
}
