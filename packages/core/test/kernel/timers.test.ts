import test from 'ava';
import { call, GenServer, type Call, type TimerRef } from '../../src/index.js';
import { Counter } from '../support/actors.js';
import { capturingSystem, sleep } from '../support/helpers.js';

test('sendAfter delivers an info message after the delay', async (t) => {
  const { system } = capturingSystem();
  const ref = await system.spawn(Counter, 0);
  const started = Date.now();
  const timer = system.sendAfter(ref, { type: 'tick' }, 20);
  t.true(timer.active);
  await sleep(5);
  const inner = (ref as unknown as { behaviour: Counter }).behaviour;
  t.is(inner.ticks, 0);
  await sleep(40);
  t.is(inner.ticks, 1);
  t.false(timer.active);
  t.true(Date.now() - started >= 20);
  await system.shutdown();
});

test('cancelTimer returns the time left and the message never arrives; a second cancel returns false', async (t) => {
  const { system } = capturingSystem();
  const ref = await system.spawn(Counter, 0);
  const timer = system.sendAfter(ref, { type: 'tick' }, 50);
  const left = system.cancelTimer(timer);
  t.true(typeof left === 'number' && left > 0 && left <= 50);
  t.false(system.cancelTimer(timer));
  await sleep(70);
  t.is((ref as unknown as { behaviour: Counter }).behaviour.ticks, 0);
  await system.shutdown();
});

test("an actor's own timers (this.sendAfter) are cancelled when it exits", async (t) => {
  class Ticker extends GenServer<{ info: { type: 'tick' }; call: Call<'timer', boolean> }> {
    timer!: TimerRef;
    override init(): void {
      this.timer = this.sendAfter({ type: 'tick' }, 10_000);
    }
    override handleCall(): boolean {
      return this.timer.active;
    }
  }
  const { system } = capturingSystem();
  const ref = await system.spawn(Ticker, undefined);
  t.true(await call(ref, { type: 'timer' }));
  const timer = (ref as unknown as { behaviour: Ticker }).behaviour.timer;
  await system.stop(ref);
  t.false(timer.active, 'the pending timer was cleared, so it cannot keep the process alive');
  await system.shutdown();
});
