import test from 'ava';
import { Agent, checkTimeout, GenServer, InvalidOptionError, MAX_TIMER_MS, call, openInbox, startApplication, type ActorRef } from '../../src/index.js';
import { Counter, type CounterProtocol } from '../support/actors.js';
import { capturingSystem, sleep } from '../support/helpers.js';

/** Settles `p` or answers 'pending' after `ms`: a bound on every probe, never a timing assertion. */
async function within<T>(p: Promise<T>, ms = 2000): Promise<{ status: 'fulfilled'; value: T } | { status: 'rejected'; reason: unknown } | { status: 'pending' }> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const bound = new Promise<{ status: 'pending' }>((r) => (timer = setTimeout(() => r({ status: 'pending' }), ms)));
  const settled = p.then(
    (value) => ({ status: 'fulfilled' as const, value }),
    (reason: unknown) => ({ status: 'rejected' as const, reason }),
  );
  try {
    return await Promise.race([settled, bound]);
  } finally {
    clearTimeout(timer);
  }
}

/** An actor that ignores `stop` for a while: its terminate takes `ms`. */
class SlowToStop extends GenServer<{ cast: { type: 'noop' } }, undefined, number> {
  #ms = 0;
  override init(ms: number): void {
    this.#ms = ms;
  }
  override async terminate(): Promise<void> {
    await sleep(this.#ms);
  }
}

test('the timeout rule: 0..2^31-1 ms, Infinity only where it means forever', (t) => {
  t.is(MAX_TIMER_MS, 2 ** 31 - 1);
  t.is(checkTimeout('t', 0), 0);
  t.is(checkTimeout('t', MAX_TIMER_MS), MAX_TIMER_MS);
  t.is(checkTimeout('t', Infinity), Infinity);
  for (const bad of [2 ** 31, 3e9, Number.MAX_VALUE, -1, Number.NaN, '10', null, undefined, {}]) {
    const e = t.throws(() => checkTimeout('options.timeout', bad), { instanceOf: InvalidOptionError }, String(bad));
    t.is(e!.code, 'invalid_option');
    t.regex(e!.message, /^options\.timeout must be a number of milliseconds from 0 to 2147483647, or Infinity to wait forever, got: /);
  }
  t.throws(() => checkTimeout('ms', Infinity, { infinity: false }), { instanceOf: InvalidOptionError, message: /^ms must be a number of milliseconds from 0 to 2147483647, got: Infinity/ });
});

test('timeout rule options: whole milliseconds, a minimum, no Infinity, and what else is accepted', (t) => {
  t.is(checkTimeout('t', 1.5), 1.5);
  t.throws(() => checkTimeout('t', 1.5, { integer: true }), { instanceOf: InvalidOptionError, message: /^t must be an integer number of milliseconds from 0 to 2147483647, or Infinity to wait forever, got: 1\.5/ });
  t.is(checkTimeout('t', Infinity, { integer: true }), Infinity, 'Infinity is not an integer, but still means forever');
  t.is(checkTimeout('t', 1, { min: 1 }), 1);
  t.throws(() => checkTimeout('t', 0, { min: 1 }), { instanceOf: InvalidOptionError, message: /^t must be a number of milliseconds from 1 to 2147483647/ });
  t.is(checkTimeout('t', 0.5, { aboveMin: true }), 0.5);
  t.throws(() => checkTimeout('t', 0, { aboveMin: true, infinity: false }), { instanceOf: InvalidOptionError, message: /^t must be a number of milliseconds greater than 0 and at most 2147483647, got: 0/ });
  t.throws(() => checkTimeout('t', 'soon', { infinity: false, or: "'brutal_kill'" }), { instanceOf: InvalidOptionError, message: /^t must be a number of milliseconds from 0 to 2147483647, or 'brutal_kill', got: /});
  t.throws(() => checkTimeout('t', MAX_TIMER_MS + 1, { integer: true, min: 1 }), { instanceOf: InvalidOptionError });
});

test('system.stop(ref, r, { timeout: 2**31 }) is refused at the call and leaves the actor running', async (t) => {
  const { system } = capturingSystem();
  const ref = await system.spawn(SlowToStop, 200);
  const r = await within(system.stop(ref, 'shutdown', { timeout: 2 ** 31 }));
  t.is(r.status, 'rejected');
  t.true((r as { reason: unknown }).reason instanceof InvalidOptionError, String((r as { reason: unknown }).reason));
  t.true(system.isAlive(ref), 'a refused stop sends nothing');
  // The longest valid timeout, and Infinity, wait for the stop as asked.
  await system.stop(ref, 'shutdown', { timeout: MAX_TIMER_MS });
  t.false(system.isAlive(ref));
  const other = await system.spawn(SlowToStop, 200);
  await system.stop(other, 'shutdown', { timeout: Infinity });
  t.false(system.isAlive(other));
  await system.shutdown();
});

test('sendAfter(ref, msg, 2**31) is refused at the call and never fires', async (t) => {
  const { system } = capturingSystem();
  const ref = await system.spawn(Counter, 0);
  t.throws(() => system.sendAfter(ref, { type: 'tick' }, 2 ** 31), { instanceOf: InvalidOptionError, message: /sendAfter: ms must be a number of milliseconds from 0 to 2147483647/ });
  t.throws(() => system.sendAfter(ref, { type: 'tick' }, Infinity), { instanceOf: InvalidOptionError });
  await sleep(50);
  t.is(((ref as unknown as { behaviour: Counter }).behaviour).ticks, 0, 'no tick arrived');
  const timer = system.sendAfter(ref, { type: 'tick' }, MAX_TIMER_MS);
  t.true(timer.active, 'the longest timer Node keeps is accepted and stays pending');
  t.not(system.cancelTimer(timer), false);
  await system.shutdown();
});

test('system.shutdown({ timeout: 2**31 }) is refused and kills nothing', async (t) => {
  const { system } = capturingSystem();
  const ref = await system.spawn(SlowToStop, 100);
  const r = await within(system.shutdown({ timeout: 2 ** 31 }));
  t.is(r.status, 'rejected');
  t.true((r as { reason: unknown }).reason instanceof InvalidOptionError);
  t.true(system.isAlive(ref), 'nothing was stopped or killed');
  t.false(system.stopped);
  await system.shutdown({ timeout: Infinity });
  t.false(system.isAlive(ref));
  t.is(system.getStatus(ref).exitReason, 'shutdown', 'Infinity waited for the orderly stop: no kill');
});

test('calls with a timeout past 2^31-1, or options that are not an object, settle at once with InvalidOptionError', async (t) => {
  const { system } = capturingSystem();
  const ref: ActorRef<CounterProtocol> = await system.spawn(Counter, 7);
  // 'later' is answered never (noReply): only the timeout could settle these calls.
  for (const options of [{ timeout: 3e9 }, { timeout: Number.MAX_VALUE }, { timeout: 2 ** 31 }, 5, null, 'x', [] as unknown[]]) {
    const r = await within(call(ref, { type: 'later' }, options as never));
    t.is(r.status, 'rejected', JSON.stringify(options));
    t.true((r as { reason: unknown }).reason instanceof InvalidOptionError, `${JSON.stringify(options)}: ${String((r as { reason: unknown }).reason)}`);
    const s = await within(system.getState(ref, options as never));
    t.true(s.status === 'rejected' && s.reason instanceof InvalidOptionError, `getState ${JSON.stringify(options)}`);
  }
  // Valid meanings still hold: Infinity waits forever, the longest timer is accepted.
  t.is(await call(ref, { type: 'get' }, { timeout: Infinity }), 7);
  t.is(await call(ref, { type: 'get' }, { timeout: MAX_TIMER_MS }), 7);
  t.is(await call(ref, { type: 'get' }, undefined), 7);
  t.is(await call(ref, { type: 'get' }, {}), 7);
  await system.shutdown();
});

test('Inbox.receive, Agent calls and the application shutdownTimeout follow the same rule', async (t) => {
  const { system } = capturingSystem();
  const inbox = await openInbox(system);
  const r = await within(inbox.receive(() => true, { timeout: 2 ** 31 }));
  t.true(r.status === 'rejected' && r.reason instanceof InvalidOptionError, 'receive');
  const agent = await Agent.start(system, () => 1);
  const g = await within(Agent.get(agent, (n) => n, { timeout: 3e9 }));
  t.true(g.status === 'rejected' && g.reason instanceof InvalidOptionError, 'Agent.get');
  await t.throwsAsync(startApplication({ children: [] }, { system, signals: false, shutdownTimeout: 2 ** 31 }), { instanceOf: InvalidOptionError, message: /options\.shutdownTimeout/ });
  await system.shutdown();
});
