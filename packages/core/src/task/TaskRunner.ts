import type { ActorRef } from '../kernel/index.js';
import { Behaviour } from '../behaviour/Behaviour.js';
import type { StatusDetails } from '../behaviour/StatusDetails.js';
import type { ExitReason } from '../exit/ExitReason.js';
import type { ActorSystem } from '../system/ActorSystem.js';

/** What a task runs: a sync or async function; `signal` aborts when the task is stopped or killed. */
export type TaskFunction<T> = (signal: AbortSignal) => T | PromiseLike<T>;

/** How a task ended: its value, or the reason it exited without one. */
export type TaskResult<T> = { readonly status: 'ok'; readonly value: T } | { readonly status: 'exit'; readonly reason: ExitReason };

const RUN = { type: 'run' } as const;

/**
 * The bond between a task actor and its `Task` handle: the function to run, and the
 * outcome, learnt from the actor (its value) and from a monitor on it (how it exited). @internal
 */
export class TaskLink<T> {
  /** The current run's controller: a task restarted by its supervisor gets a fresh one. */
  #controller = new AbortController();
  #runs = 0;
  #value: { readonly v: T } | undefined = undefined;
  #result: TaskResult<T> | undefined = undefined;
  readonly #waiters: ((r: TaskResult<T>) => void)[] = [];

  constructor(readonly fn: TaskFunction<T>) {}

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** The outcome once the task actor is dead, else undefined. */
  get result(): TaskResult<T> | undefined {
    return this.#result;
  }

  /** Resolves with the outcome once the task actor is dead. */
  settled(): Promise<TaskResult<T>> {
    const r = this.#result;
    if (r !== undefined) return Promise.resolve(r);
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /**
   * The outcome within `ms` milliseconds, or undefined. A wait that times out leaves no
   * waiter behind, so polling a long task does not pile them up.
   */
  within(ms: number): Promise<TaskResult<T> | undefined> {
    const r = this.#result;
    if (r !== undefined) return Promise.resolve(r);
    if (ms === Infinity) return this.settled();
    return new Promise((resolve) => {
      const waiter = (result: TaskResult<T>): void => {
        clearTimeout(timer);
        resolve(result);
      };
      const timer = setTimeout(() => {
        const i = this.#waiters.indexOf(waiter);
        if (i >= 0) this.#waiters.splice(i, 1);
        resolve(undefined);
      }, ms);
      this.#waiters.push(waiter);
    });
  }

  /** The system of the task actor, once it has started. */
  system: ActorSystem | undefined = undefined;

  /** Called by the task actor in `onInit`: monitor it from here on. */
  watch(self: ActorRef, system: ActorSystem): void {
    this.system = system;
    // A restarted run (restart: 'transient' / 'permanent') must not see the crashed run's aborted signal.
    const controller = this.#runs++ === 0 ? this.#controller : (this.#controller = new AbortController());
    system.monitor(self, ({ reason }) => this.#down(reason, controller));
  }

  /** Called by the task actor with its function's value, just before it exits `normal`. */
  done(value: T): void {
    this.#value = { v: value };
  }

  #down(reason: ExitReason, controller: AbortController): void {
    const value = this.#value;
    const ok = reason === 'normal' && value !== undefined;
    if (!ok) controller.abort(reason);
    // A restarted task (restart: 'transient' / 'permanent') reports again; the first outcome stands.
    if (this.#result !== undefined) return;
    this.#result = ok ? { status: 'ok', value: value.v } : { status: 'exit', reason };
    for (const w of this.#waiters.splice(0)) w(this.#result);
  }
}

/**
 * The actor that runs one task function, built on the extension API: it runs the
 * function on its first message, hands the value to its `Task` handle and exits `normal`;
 * a throw or rejection crashes it with the error. The dump shows it as `TaskRunner` with
 * `fn=<function name>`. @internal
 */
export class TaskRunner extends Behaviour<{ cast: typeof RUN }, undefined, TaskLink<unknown>> {
  #link!: TaskLink<unknown>;

  override onInit(link: TaskLink<unknown>): void {
    this.#link = link;
    link.watch(this.self, this.system);
    this.cast(this.self, RUN);
  }

  override onCast(): Promise<void> {
    const link = this.#link;
    return Promise.resolve(link.fn(link.signal)).then((value) => {
      link.done(value);
      this.stop('normal');
    });
  }

  override formatStatus(): StatusDetails {
    return { fn: this.#link.fn.name || 'anonymous' };
  }
}
