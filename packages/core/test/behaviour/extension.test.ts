/**
 * The extension API: a behaviour kind written on `Behaviour` directly, importing only
 * the package's public entry. It receives calls (with a reply handle), casts, info, EXIT
 * and DOWN; replies now or later; uses timers; stops itself from outside a hook; links and
 * monitors; and has its own callbacks, checked at spawn.
 */
import test from 'ava';
import {
  Behaviour,
  call,
  cast,
  GenServer,
  InvalidBehaviourError,
  noReply,
  send,
  UnhandledMessageError,
  type ActorRef,
  type Call,
  type DownMessage,
  type ExitMessage,
  type ExitReason,
  type From,
  type StatusDetails,
} from '../../src/index.js';
import { capturingSystem, eventually, exitReasonOf } from '../support/helpers.js';

/** A kind: an "event log" behaviour whose users implement `onEvent(name)`. */
interface LogProtocol {
  call: Call<'events', readonly string[]> | Call<'next', string> | Call<'watch', boolean, { ref: ActorRef }> | Call<'link', boolean, { ref: ActorRef }>;
  cast: { type: 'event'; name: string } | { type: 'stop_later'; ms: number; reason: ExitReason };
  info: { type: 'tick' };
}

abstract class EventLog extends Behaviour<LogProtocol, string[], { trap: boolean }> {
  static override readonly callbacks = ['onEvent'];
  #waiting: From[] = [];

  /** The kind's own callback. */
  abstract onEvent(name: string): void;

  override onInit(arg: { trap: boolean }) {
    this.state = [];
    if (arg.trap) this.trapExit(true);
  }

  override onCall(req: LogProtocol['call'], from: From): unknown {
    switch (req.type) {
      case 'events':
        return [...this.state];
      case 'next':
        this.#waiting.push(from);
        return noReply;
      case 'watch':
        this.monitor(req.ref);
        return true;
      case 'link':
        this.link(req.ref);
        return true;
    }
  }

  override onCast(msg: LogProtocol['cast']) {
    if (msg.type === 'event') this.record(msg.name);
    else setTimeout(() => this.stop(msg.reason), msg.ms); // outside any hook
  }

  override onInfo(msg: { type: 'tick' } | ExitMessage | DownMessage) {
    this.record(msg.type === 'tick' ? 'tick' : `${msg.type}:${String(msg.reason)}`);
  }

  override onTerminate(reason: ExitReason) {
    this.record(`terminate:${String(reason)}`);
    terminated.push(`${this.self.id}:${String(reason)}`);
  }

  override formatStatus(): StatusDetails {
    return { events: this.state.length, waiting: this.#waiting.length };
  }

  private record(name: string) {
    this.state.push(name);
    this.onEvent(name);
    for (const from of this.#waiting.splice(0)) this.reply(from, name);
  }
}

const terminated: string[] = [];

class Recorder extends EventLog {
  seen = 0;
  override onEvent() {
    this.seen++;
  }
}

class Victim extends GenServer<{ cast: 'die' }> {
  override handleCast() {
    throw new Error('victim died');
  }
}

test('a kind on Behaviour: calls, deferred replies, casts, timers, introspection', async (t) => {
  const { system } = capturingSystem();
  const log = await system.spawn(Recorder, { trap: false });
  const next = call(log, { type: 'next' });
  cast(log, { type: 'event', name: 'a' });
  t.is(await next, 'a', 'answered later through the reply handle');
  const timer = system.sendAfter(log, { type: 'tick' }, 5);
  t.true(await eventually(() => system.getStatus(log).details?.['events'] === 2));
  t.false(timer.cancel() !== false, 'the timer fired');
  send(log, { type: 'tick' });
  t.deepEqual(await call(log, { type: 'events' }), ['a', 'tick', 'tick']);
  t.deepEqual(system.getStatus(log).details, { events: 3, waiting: 0 });
  t.deepEqual(await system.getState(log), ['a', 'tick', 'tick'], 'state is what sys reads');
  await system.shutdown();
});

test('a kind receives DOWN from monitors and EXIT from links while trapping', async (t) => {
  const { system } = capturingSystem();
  const log = await system.spawn(Recorder, { trap: true });
  const watched = await system.spawn(Victim, undefined);
  const linked = await system.spawn(Victim, undefined);
  await call(log, { type: 'watch', ref: watched });
  await call(log, { type: 'link', ref: linked });
  cast(watched, 'die');
  cast(linked, 'die');
  t.true(await eventually(() => system.getStatus(log).details?.['events'] === 2));
  const events = await call(log, { type: 'events' });
  t.deepEqual([...events].sort(), ['DOWN:Error: victim died', 'EXIT:Error: victim died']);
  t.true(system.isAlive(log));
  await system.shutdown();
});

test('stop() called outside any hook runs onTerminate and exits with the reason', async (t) => {
  const { system } = capturingSystem();
  const log = await system.spawn(Recorder, { trap: false });
  const down = new Promise<unknown>((resolve) => system.monitor(log, ({ reason }) => resolve(reason)));
  cast(log, { type: 'stop_later', ms: 5, reason: 'shutdown' });
  t.is(await down, 'shutdown');
  t.deepEqual(terminated.filter((e) => e.startsWith(log.id)), [`${log.id}:shutdown`]);
  t.is(await exitReasonOf(system, log), 'shutdown');
  await system.shutdown();
});

test("a kind's callbacks are checked at spawn, and hooks it does not define say which hook is missing", async (t) => {
  const { system } = capturingSystem();
  class NoEvent extends EventLog {
    override onEvent = undefined as never;
  }
  const e = await t.throwsAsync(system.spawn(NoEvent, { trap: false }), { instanceOf: InvalidBehaviourError });
  t.regex(e!.message, /NoEvent\.onEvent must be a method/);

  class Shadowed extends GenServer {
    override onInfo = undefined as never;
  }
  const e2 = await t.throwsAsync(system.spawn(Shadowed as never, undefined as never), { instanceOf: InvalidBehaviourError });
  t.regex(e2!.message, /instance field named onInfo, which hides the behaviour hook/);

  class Bare extends Behaviour<{ call: Call<'x', number> }> {}
  const bare = await system.spawn(Bare, undefined);
  const down = new Promise<unknown>((resolve) => system.monitor(bare, ({ reason }) => resolve(reason)));
  await t.throwsAsync(call(bare, { type: 'x' }));
  const reason = await down;
  t.true(reason instanceof UnhandledMessageError);
  t.regex((reason as Error).message, /Bare received a call but does not define onCall/);
  await system.shutdown();
});

test('stop() from a timer while an async hook runs takes effect when the hook finishes', async (t) => {
  const { system } = capturingSystem();
  const steps: string[] = [];
  let release!: () => void;
  class Busy extends Behaviour<{ cast: 'work' }> {
    override async onCast() {
      setTimeout(() => this.stop('shutdown'), 1);
      await new Promise<void>((r) => (release = r));
      steps.push('hook finished');
    }
    override onTerminate(reason: ExitReason) {
      steps.push(`terminate ${String(reason)}`);
    }
  }
  const ref = await system.spawn(Busy, undefined);
  cast(ref, 'work');
  t.true(await eventually(() => release !== undefined));
  await new Promise((r) => setTimeout(r, 10));
  t.true(system.isAlive(ref), 'still inside the hook');
  release();
  t.is(await exitReasonOf(system, ref), 'shutdown');
  t.deepEqual(steps, ['hook finished', 'terminate shutdown']);
  await system.shutdown();
});
