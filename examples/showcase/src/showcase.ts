/**
 * The showcase: a short tour of @arbor/core, narrated through `print`.
 *
 * It creates one actor system, runs six small scenes on it (typed counter, watchdog,
 * monitor, bounded mailbox, introspection, deferred reply and async handler), shuts the
 * system down and returns a {@link Summary} of what actually happened, which the test
 * checks. `main.ts` runs it with `console.log`.
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
import { Gate } from './actors/Gate.js';
import { Job } from './actors/Job.js';
import { Sink } from './actors/Sink.js';
import { SlowLookup } from './actors/SlowLookup.js';
import { Watchdog } from './actors/Watchdog.js';
import type { WorkerProtocol } from './actors/Worker.js';

/** The status fields the showcase prints. */
export type StatusView = Pick<ActorStatus, 'status' | 'mailboxLength' | 'messagesHandled' | 'links'>;

/** What the showcase observed; every field comes from the runtime, not from the script. */
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
  /** 4. Messages queued in the suspended bounded mailbox after 6 casts. */
  readonly suspendedMailboxLength: number;
  /** 4. The events the sink handled after it was resumed. */
  readonly survivors: readonly string[];
  /** 5. The counter's status taken right after three casts, before it ran. */
  readonly queuedStatus: StatusView;
  /** 5. The counter's status after a call has gone through. */
  readonly counterStatus: StatusView;
  /** 5. The counter's state read with `getState`. */
  readonly counterState: number;
  /** 5. The ids the watchdog is linked to. */
  readonly watchdogLinks: readonly string[];
  /** 6. How many callers the gate said were waiting while their replies were deferred. */
  readonly waitingAtGate: number;
  /** 6. The deferred replies, in the order the callers entered. */
  readonly deferredReplies: readonly string[];
  /** 6. The async lookup's reply. */
  readonly lookupReply: string;
  /** 6. The lookup service's log: what it did, in order. */
  readonly lookupLog: readonly string[];
  /** How many actors were alive after `shutdown`. */
  readonly actorsAfterShutdown: number;
}

/** Options of {@link runShowcase}. */
export interface ShowcaseOptions {
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
 * Runs the showcase on a fresh system named `showcase`, printing the narrative line by
 * line, and shuts the system down before it returns (even if a scene fails).
 *
 * @example
 * const summary = await runShowcase(console.log);
 */
export async function runShowcase(print: (line: string) => void, options: ShowcaseOptions = {}): Promise<Summary> {
  const logLevel = options.logLevel ?? defaultLogLevel();
  const system = createSystem({ name: 'showcase', logger: createLogger(logLevel) });

  print('Arbor showcase: @arbor/core in six scenes');
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
    print('2. A hand-rolled watchdog (links + trapExit; real supervisors come later)');
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
    print("4. A bounded mailbox: capacity 3, overflow 'drop_oldest'");
    const sink = await system.spawn(Sink, undefined, { mailbox: { capacity: 3, overflow: 'drop_oldest' } });
    await system.suspend(sink);
    const sent = ['e1', 'e2', 'e3', 'e4', 'e5', 'e6'];
    for (const name of sent) system.cast(sink, { type: 'event', name });
    const suspended = system.getStatus(sink);
    print(`   suspended sink#${sink.id}, cast ${sent.join(', ')}`);
    print(`   while suspended: status=${suspended.status} mailboxLength=${suspended.mailboxLength}`);
    await system.resume(sink);
    const survivors = await system.call(sink, { type: 'received' });
    print(`   resumed; the sink handled: ${survivors.join(', ')} (the oldest were dropped)`);

    // ------------------------------------------------------------------ 5
    print('');
    print('5. Introspection');
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

    // ------------------------------------------------------------------ 6
    print('');
    print('6. Deferred replies and async handlers');
    const gate = await system.spawn(Gate, undefined);
    const alice = system.call(gate, { type: 'enter', who: 'alice' });
    const bob = system.call(gate, { type: 'enter', who: 'bob' });
    const waitingAtGate = await system.call(gate, { type: 'waiting' });
    print(`   alice and bob call enter; handleCall returns noReply`);
    print(`   the gate keeps serving meanwhile: call waiting -> ${waitingAtGate}`);
    system.cast(gate, { type: 'open' });
    const deferredReplies = await Promise.all([alice, bob]);
    print(`   cast open; the gate answers each with this.reply(from, ...):`);
    for (const r of deferredReplies) print(`      "${r}"`);
    const lookup = await system.spawn(SlowLookup, 25);
    const pending = system.call(lookup, { type: 'lookup', key: 'config' });
    system.cast(lookup, { type: 'note', text: 'cast while the lookup was awaiting' });
    const lookupReply = await pending;
    const lookupLog = await system.call(lookup, { type: 'log' });
    print(`   an async handleCall (await inside) -> "${lookupReply}"`);
    print(`   its log shows one message at a time, even across the await:`);
    for (const line of lookupLog) print(`      ${line}`);

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
      suspendedMailboxLength: suspended.mailboxLength,
      survivors,
      queuedStatus,
      counterStatus,
      counterState,
      watchdogLinks: watchdogStatus.links,
      waitingAtGate,
      deferredReplies,
      lookupReply,
      lookupLog,
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
