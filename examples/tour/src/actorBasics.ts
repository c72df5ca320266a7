/**
 * Part one of the tour: the basics of @arbor/core, narrated through `print`.
 *
 * It creates one actor system, runs four small scenes on it (typed counter, a
 * hand-rolled watchdog, a monitor, introspection), shuts the system down and returns a
 * {@link Summary} of what actually happened, which the test checks. `main.ts` runs it
 * with `console.log`. (Bounded mailboxes and deferred replies have their own examples:
 * examples/mailboxes and examples/deferred-reply.)
 */
import {
  createLogger,
  createSystem,
  formatReason,
  type ActorRef,
  type ActorStatus,
  type ActorSystem,
  type ExitReason,
  type LogLevel,
} from '@arbor/core';
import { Counter } from './actors/Counter.js';
import { Job } from './actors/Job.js';
import { Watchdog } from './actors/Watchdog.js';
import type { WorkerProtocol } from './actors/Worker.js';

/** The status fields part one prints. */
export type StatusView = Pick<ActorStatus, 'status' | 'mailboxLength' | 'messagesHandled' | 'links'>;

/** What part one observed; every field comes from the runtime, not from the script. */
export interface Summary {
  /** 1. The counter's value read with a typed call after casting inc by 1, 2 and 3. */
  readonly counterValue: number;
  /** 2. How many times the watchdog restarted its worker. */
  readonly restarts: number;
  /** 2. The ids of the worker generations, oldest first. */
  readonly workerIds: readonly string[];
  /** 2. After each restart, `whereis('worker')` was the new worker and the old one was dead. */
  readonly whereisFollowed: boolean;
  /** 2. The exit reasons of the crashed workers, as seen by monitors. */
  readonly crashReasons: readonly string[];
  /** 2. The error code of a call to the first (dead) worker. */
  readonly deadWorkerCallError: string;
  /** 2. What the current worker answers to `ping`. */
  readonly workerReply: string;
  /** 3. The reason in the DOWN of the monitored job. */
  readonly downReason: string;
  /** 3. The reason in the DOWN of a monitor placed on the dead job. */
  readonly noprocReason: string;
  /** 4. The counter's status taken right after three casts, before it ran. */
  readonly queuedStatus: StatusView;
  /** 4. The counter's status after a call has gone through. */
  readonly counterStatus: StatusView;
  /** 4. The counter's state read with `getState`. */
  readonly counterState: number;
  /** 4. The ids the watchdog is linked to. */
  readonly watchdogLinks: readonly string[];
  /** How many actors were alive after `shutdown`. */
  readonly actorsAfterShutdown: number;
}

/** Options of {@link runActorBasics}. */
export interface ActorBasicsOptions {
  /** Log level of the system's logger (default: `ARBOR_LOG_LEVEL`, else `'warn'`). */
  readonly logLevel?: LogLevel;
}

const LEVELS: readonly string[] = ['silent', 'error', 'warn', 'info', 'debug'];

function defaultLogLevel(): LogLevel {
  const env = process.env['ARBOR_LOG_LEVEL'];
  return env !== undefined && LEVELS.includes(env) ? (env as LogLevel) : 'warn';
}

function view(s: ActorStatus): StatusView {
  return { status: s.status, mailboxLength: s.mailboxLength, messagesHandled: s.messagesHandled, links: s.links };
}

function showStatus(s: StatusView): string {
  return `status=${s.status} mailboxLength=${s.mailboxLength} messagesHandled=${s.messagesHandled} links=[${s.links.join(', ')}]`;
}

/** Resolves with the exit reason when `ref` exits (a monitor from outside any actor). */
function nextDown(system: ActorSystem, ref: ActorRef): Promise<ExitReason> {
  return new Promise((resolve) => system.monitor(ref, ({ reason }) => resolve(reason)));
}

/**
 * Runs part one on a fresh system named `tour`, printing the narrative line by
 * line, and shuts the system down before it returns (even if a scene fails).
 *
 * @example
 * const summary = await runActorBasics(console.log);
 */
export async function runActorBasics(print: (line: string) => void, options: ActorBasicsOptions = {}): Promise<Summary> {
  const logLevel = options.logLevel ?? defaultLogLevel();
  const system = createSystem({ name: 'tour', logger: createLogger(logLevel) });

  print('Part one: @arbor/core in four scenes');
  print(
    logLevel === 'silent'
      ? 'Logging is off (log level silent), so the deliberate crashes below log nothing.'
      : `Log level: ${logLevel}. The two deliberate crashes below write crash reports (JSON) to stderr; stdout has only this story.`,
  );

  try {
    // ------------------------------------------------------------------ 1
    print('');
    print('1. A typed counter');
    const counter = await system.spawn(Counter, 0, { name: 'counter' });
    for (const by of [1, 2, 3]) system.cast(counter, { type: 'inc', by });
    // The reply type comes from the protocol: Call<'get', number> makes this a number.
    const counterValue = await system.call(counter, { type: 'get' });
    print(`   spawned counter#${counter.id} with 0, cast inc by 1, 2 and 3`);
    print(`   call get -> ${counterValue} (typed number: ${counterValue.toFixed(1)})`);

    // ------------------------------------------------------------------ 2
    print('');
    print('2. A hand-rolled watchdog (links + trapExit; part two uses real supervisors)');
    const watchdog = await system.spawn(Watchdog, 'worker', { name: 'watchdog' });
    const first = system.whereis<WorkerProtocol>('worker');
    if (first === undefined) throw new Error("the watchdog did not register 'worker'");
    print(`   watchdog#${watchdog.id} started worker#${first.id}, registered as 'worker'`);
    const workerIds = [first.id];
    const crashReasons: string[] = [];
    let whereisFollowed = true;
    let restarts = 0;
    for (const n of [1, 2]) {
      const before = system.whereis<WorkerProtocol>('worker');
      if (before === undefined) throw new Error("no actor is registered as 'worker'");
      const down = nextDown(system, before);
      system.cast(before, { type: 'crash', why: `deliberate crash #${n}` });
      const reason = await down;
      crashReasons.push(formatReason(reason));
      // Queued behind the worker's EXIT, so the watchdog has restarted it by the time it answers.
      const status = await system.call(watchdog, { type: 'status' });
      const after = system.whereis<WorkerProtocol>('worker');
      restarts = status.restarts;
      const followed = after !== undefined && after.id === status.worker.id && after.id !== before.id && !system.isAlive(before);
      whereisFollowed &&= followed;
      workerIds.push(status.worker.id);
      print(`   crash #${n}: worker#${before.id} exited with ${formatReason(reason)}`);
      print(`      watchdog restarted it as worker#${status.worker.id} (restarts: ${status.restarts})`);
      print(`      whereis('worker') -> worker#${after?.id ?? 'none'} (${followed ? 'follows the new worker' : 'DID NOT follow the restart'})`);
    }
    const deadWorkerCallError = await system.call(first, { type: 'ping' }).then(
      () => 'no error',
      (e: unknown) => (typeof e === 'object' && e !== null && 'code' in e ? String(e.code) : String(e)),
    );
    const current = system.whereis<WorkerProtocol>('worker');
    const workerReply = current === undefined ? 'no worker' : await system.call(current, { type: 'ping' });
    print(`   call ping to the first worker -> rejected with code '${deadWorkerCallError}'`);
    print(`   call ping to whereis('worker') -> "${workerReply}"`);

    // ------------------------------------------------------------------ 3
    print('');
    print('3. A monitor from outside any actor');
    const job = await system.spawn(Job, 3);
    const jobDown = nextDown(system, job);
    print(`   system.monitor(job#${job.id}, callback); the job stops itself after 3 items`);
    for (const item of ['a', 'b', 'c']) system.cast(job, { type: 'work', item });
    const downReason = formatReason(await jobDown);
    print(`   DOWN: job#${job.id} exited with ${downReason}`);
    const noprocReason = formatReason(await nextDown(system, job));
    print(`   monitoring the dead job again -> DOWN at once with ${noprocReason}`);

    // ------------------------------------------------------------------ 4
    print('');
    print('4. Introspection');
    for (const by of [10, 20, 30]) system.cast(counter, { type: 'inc', by });
    const queuedStatus = view(system.getStatus(counter));
    print(`   counter right after 3 more casts: ${showStatus(queuedStatus)}`);
    await system.call(counter, { type: 'get' });
    const counterStatus = view(system.getStatus(counter));
    print(`   counter after a call went through: ${showStatus(counterStatus)}`);
    const counterState = await system.getState<number>(counter);
    print(`   getState(counter) -> ${counterState}`);
    const watchdogStatus = system.getStatus(watchdog);
    print(`   watchdog: trapExit=${watchdogStatus.trapExit} links=[${watchdogStatus.links.join(', ')}] (the current worker)`);

    return await finish(system, print, {
      counterValue,
      restarts,
      workerIds,
      whereisFollowed,
      crashReasons,
      deadWorkerCallError,
      workerReply,
      downReason,
      noprocReason,
      queuedStatus,
      counterStatus,
      counterState,
      watchdogLinks: watchdogStatus.links,
    });
  } finally {
    if (!system.stopped) await system.shutdown();
  }
}

async function finish(system: ActorSystem, print: (line: string) => void, summary: Omit<Summary, 'actorsAfterShutdown'>): Promise<Summary> {
  print('');
  const before = system.size;
  await system.shutdown();
  print(`Shut the system down: ${before} actors stopped, ${system.size} left. Done.`);
  return { ...summary, actorsAfterShutdown: system.size };
}
