import type { ActorRef } from '../kernel/index.js';
import { InvalidOptionError } from '../errors/errors.js';
import type { ActorSystem } from '../system/ActorSystem.js';
import type { SpawnOptions } from '../system/SpawnOptions.js';
import type { ChildSpec, ChildSpecOverrides, RestartType, Shutdown } from '../supervisor/ChildSpec.js';
import { DynamicSupervisor, type DynamicSupervisorOptions, type DynamicSupervisorProtocol } from '../supervisor/DynamicSupervisor.js';
import { checkFunction } from '../validation/function.js';
import { checkOptions } from '../validation/options.js';
import { checkSystem } from '../validation/system.js';
import { Task } from './Task.js';
import { TaskLink, TaskRunner, type TaskFunction } from './TaskRunner.js';

/** A task supervisor's ref (a dynamic supervisor whose children are tasks). */
export type TaskSupervisorRef = ActorRef<DynamicSupervisorProtocol>;

/** Options of `TaskSupervisor.start` / `childSpec`: a dynamic supervisor's (`maxChildren`, `intensity`, `period`). */
export type TaskSupervisorOptions = Omit<DynamicSupervisorOptions, 'extraArguments'>;

/** Options of one supervised task. */
export interface TaskChildOptions {
  /** How long a `shutdown` of the supervisor waits for the task before killing it (default 5000 ms). */
  readonly shutdown?: Shutdown;
}

/** Options of `TaskSupervisor.startChild`. */
export interface TaskStartOptions extends TaskChildOptions {
  /** Default `'temporary'`: a crashed task is not run again. `'transient'` re-runs it after a crash. */
  readonly restart?: RestartType;
}

/** The shape of a task supervisor's options, for messages. */
const OPTIONS = '{ maxChildren?, intensity?, period? }';

/** The supervisor actor: a dynamic supervisor, named so the dump says what it is. */
class TaskSupervisorServer extends DynamicSupervisor {}
Object.defineProperty(TaskSupervisorServer, 'name', { value: 'TaskSupervisor' });

/**
 * A supervisor of tasks (Elixir's `Task.Supervisor`): a dynamic supervisor whose children
 * run one function each, temporary by default. `asyncNolink` runs a task the caller awaits
 * without being linked to it: a crash is a `TaskExitError` on await, not a crash of the
 * caller. `startChild` runs one nobody awaits.
 *
 * @example
 * const sup = await Supervisor.start(system, { strategy: 'one_for_one', children: [TaskSupervisor.childSpec({}, { id: 'tasks', options: { name: 'tasks' } })] });
 * const tasks = system.whereis('tasks') as TaskSupervisorRef;
 * const task = await TaskSupervisor.asyncNolink(tasks, () => risky());
 * try { await Task.await(task) } catch (e) { if (e instanceof TaskExitError) retryLater() }
 */
export const TaskSupervisor = {
  /**
   * Starts a task supervisor (not linked to the caller).
   *
   * @example
   * const tasks = await TaskSupervisor.start(system, { maxChildren: 100 }, { name: 'tasks' });
   */
  start(system: ActorSystem, options?: TaskSupervisorOptions, spawnOptions?: SpawnOptions): Promise<TaskSupervisorRef> {
    try {
      checkSystem('TaskSupervisor.start: system', system);
      checkOptions('TaskSupervisor.start: options', options, OPTIONS);
    } catch (e) {
      return Promise.reject(e);
    }
    return TaskSupervisorServer.start(system, options ?? {}, spawnOptions);
  },

  /**
   * The child spec of a task supervisor in a supervision tree (type `supervisor`).
   *
   * @example
   * TaskSupervisor.childSpec({ maxChildren: 50 }, { id: 'tasks', options: { name: 'tasks' } })
   */
  childSpec(options?: TaskSupervisorOptions, overrides?: ChildSpecOverrides): ChildSpec {
    checkOptions('TaskSupervisor.childSpec: options', options, OPTIONS);
    checkOptions('TaskSupervisor.childSpec: overrides', overrides, '{ id?, restart?, shutdown?, type?, significant?, options? }');
    return TaskSupervisorServer.childSpec(options ?? {}, { id: 'TaskSupervisor', ...overrides }) as ChildSpec;
  },

  /**
   * Runs `fn` as a supervised task that the caller is not linked to. Await it with
   * `Task.await` / `Task.yield`: a crash there is a `TaskExitError`, and the caller keeps
   * running. Rejects if the supervisor cannot start it (`MaxChildrenError`, `NoProcError`).
   *
   * @example
   * const task = await TaskSupervisor.asyncNolink(tasks, async () => lookup(key));
   */
  asyncNolink<T>(sup: TaskSupervisorRef, fn: TaskFunction<T>, options?: TaskChildOptions): Promise<Task<Awaited<T>>> {
    const link = new TaskLink(fn as TaskFunction<Awaited<T>>);
    return startTask(sup, link as TaskLink<unknown>, 'temporary', options, 'asyncNolink').then((ref) => Task.of(ref, link, link.system!));
  },

  /**
   * Runs `fn` as a supervised task nobody awaits (fire-and-forget); resolves with its ref.
   * Temporary by default: `restart: 'transient'` runs it again after a crash.
   *
   * @example
   * await TaskSupervisor.startChild(tasks, () => sendEmail(to), { restart: 'transient' });
   */
  startChild(sup: TaskSupervisorRef, fn: TaskFunction<unknown>, options?: TaskStartOptions): Promise<ActorRef> {
    return startTask(sup, new TaskLink(fn), options?.restart ?? 'temporary', options, 'startChild');
  },

  /**
   * The refs of the tasks running now.
   *
   * @example
   * const running = (await TaskSupervisor.children(tasks)).length;
   */
  children(sup: TaskSupervisorRef): Promise<ActorRef[]> {
    return DynamicSupervisor.whichChildren(sup).then((list) => list.flatMap((c) => (c.ref === 'restarting' || c.ref === undefined ? [] : [c.ref])));
  },
};

function startTask(
  sup: TaskSupervisorRef,
  link: TaskLink<unknown>,
  restart: RestartType,
  options: TaskChildOptions | undefined,
  operation: string,
): Promise<ActorRef> {
  try {
    checkFunction(`${operation}: fn`, link.fn, 'a function (signal) => value or promise');
    checkOptions(`${operation}: options`, options, operation === 'startChild' ? '{ shutdown?, restart? }' : '{ shutdown? }');
  } catch (e) {
    return Promise.reject(e);
  }
  const spec = { start: { behaviour: TaskRunner, arg: link }, restart, shutdown: options?.shutdown ?? 5000 };
  return DynamicSupervisor.startChild(sup, spec).then((r) => {
    if (r.status === 'ok') return r.ref;
    throw r.status === 'error' ? r.reason : new InvalidOptionError(`${operation}: fn`, 'a task that starts', 'ignore');
  });
}
