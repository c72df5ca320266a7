/**
 * The scheduler: fair turns between busy actors, timers that still fire under a flood,
 * option validation, and per-sender message order.
 */
import test from 'ava';
import { coreOfSystem } from '../../src/system/ActorSystem.js';
import { call, cast, createSystem, GenServer, InvalidOptionError, send, type ActorRef, type Call } from '../../src/index.js';
import { capturingSystem } from '../support/helpers.js';

interface TallyProtocol {
  call: Call<'count', number> | Call<'seen', string[]> | Call<'peek', number[], { refs: ActorRef[] }>;
  cast: { type: 'hit' } | { type: 'rec'; tag: string };
  info: { type: 'rec'; tag: string };
}

interface TallyArg {
  readonly label: string;
  /** Shared by several actors: each handled cast appends the actor's label. */
  readonly order?: string[];
}

/** Counts casts; optionally appends its label to a shared array per cast. */
class Tally extends GenServer<TallyProtocol, number, TallyArg> {
  label = '';
  order: string[] | undefined;
  seen: string[] = [];

  override init(arg: TallyArg): void {
    this.state = 0;
    this.label = arg.label;
    this.order = arg.order;
  }

  override handleCall(req: TallyProtocol['call']): number | string[] | number[] {
    switch (req.type) {
      case 'count':
        return this.state;
      case 'seen':
        this.seen.push('call:seen');
        return [...this.seen];
      case 'peek':
        // Synchronously, while the others are busy: how much have they handled so far?
        return req.refs.map((r) => this.system.getStatus(r).messagesHandled);
    }
  }

  override handleCast(msg: TallyProtocol['cast']): void {
    if (msg.type === 'rec') {
      this.seen.push(`cast:${msg.tag}`);
      return;
    }
    this.state++;
    this.order?.push(this.label);
  }

  override handleInfo(msg: { type: 'rec'; tag: string }): void {
    this.seen.push(`info:${msg.tag}`);
  }
}

test('fairness: two actors flooded with 100k casts each take turns of at most 256 messages (the default budget)', async (t) => {
  // A slice that never runs out (a turn that lasts a slice ends early): this checks the budget alone.
  const system = createSystem({ name: 'fair', scheduler: { sliceMs: 60_000 } });
  t.is(coreOfSystem(system).scheduler.budget, 256);
  const order: string[] = [];
  const a = await system.spawn(Tally, { label: 'A', order });
  const b = await system.spawn(Tally, { label: 'B', order });
  const n = 100_000;
  const hit = { type: 'hit' } as const;
  for (let i = 0; i < n; i++) cast(a, hit);
  for (let i = 0; i < n; i++) cast(b, hit);
  t.is(await call(a, { type: 'count' }), n);
  t.is(await call(b, { type: 'count' }), n);
  t.is(order.length, 2 * n);

  const lastA = order.lastIndexOf('A');
  const lastB = order.lastIndexOf('B');
  t.true(order.indexOf('B') < lastA, 'B started before A finished');
  t.true(order.indexOf('A') < lastB, 'A started before B finished');
  // While both have mail, neither runs more than one budget in a row.
  let longest = 0;
  let run = 0;
  const bothBusyUntil = Math.min(lastA, lastB);
  for (let i = 0; i <= bothBusyUntil; i++) {
    run = i > 0 && order[i] === order[i - 1] ? run + 1 : 1;
    longest = Math.max(longest, run);
  }
  t.true(longest <= 256, `longest run ${longest}`);
  t.true(bothBusyUntil >= 2 * n - 512, 'they finish within one turn of each other');
  await system.shutdown();
});

test('fairness: a call to an idle actor is answered after one turn of each flooded actor', async (t) => {
  // A slice that never runs out: a turn is then exactly one budget (one lasting a slice ends sooner).
  const system = createSystem({ name: 'fair', scheduler: { sliceMs: 60_000 } });
  const a = await system.spawn(Tally, { label: 'A' });
  const b = await system.spawn(Tally, { label: 'B' });
  const c = await system.spawn(Tally, { label: 'C' });
  const n = 100_000;
  const hit = { type: 'hit' } as const;
  for (let i = 0; i < n; i++) cast(a, hit);
  for (let i = 0; i < n; i++) cast(b, hit);
  const [handledA, handledB] = (await call(c, { type: 'peek', refs: [a, b] })) as [number, number];
  t.is(handledA, 256, 'A had exactly one turn before C ran');
  t.is(handledB, 256, 'B had exactly one turn before C ran');
  await call(a, { type: 'count' });
  await call(b, { type: 'count' });
  await system.shutdown();
});

test('a flood of 2M casts to one actor does not starve timers', async (t) => {
  const { system } = capturingSystem();
  const ref = await system.spawn(Tally, { label: 'X' });
  const n = 2_000_000;
  const hit = { type: 'hit' } as const;
  for (let i = 0; i < n; i++) cast(ref, hit);
  const handledWhenTimerFired = await new Promise<number>((resolve) => setTimeout(() => resolve(system.getStatus(ref).messagesHandled), 1));
  t.true(handledWhenTimerFired < n, `the timer fired after ${handledWhenTimerFired} of ${n} messages`);
  t.true(coreOfSystem(system).scheduler.yields > 0, 'the scheduler yielded to the event loop');
  t.is(await call(ref, { type: 'count' }, { timeout: Infinity }), n, 'and the flood is still handled in full');
  await system.shutdown();
});

/** Two actors whose async handlers cast to each other forever: every wake-up comes from a microtask. */
interface PingProtocol {
  cast: { type: 'ping' };
  call: Call<'count', number>;
}
class Pinger extends GenServer<PingProtocol, { peer: ActorRef<PingProtocol> | undefined; n: number; stop: boolean }> {
  override init(): void {
    this.state = { peer: undefined, n: 0, stop: false };
  }
  override async handleCast(): Promise<void> {
    await null;
    this.state.n++;
    if (!this.state.stop && this.state.peer !== undefined) this.cast(this.state.peer, { type: 'ping' });
  }
  override handleCall(): number {
    return this.state.n;
  }
}

test('async handlers that wake each other from microtasks do not starve timers', async (t) => {
  const { system } = capturingSystem();
  const a = await system.spawn(Pinger, undefined);
  const b = await system.spawn(Pinger, undefined);
  await system.replaceState<{ peer: unknown }>(a, (s) => ({ ...s, peer: b }));
  await system.replaceState<{ peer: unknown }>(b, (s) => ({ ...s, peer: a }));
  cast(a, { type: 'ping' });
  // Without a bound on a turn's microtask ticks, this timer would never fire.
  await new Promise((resolve) => setTimeout(resolve, 5));
  t.true(coreOfSystem(system).scheduler.yields > 0, 'the scheduler yielded to the event loop');
  await system.replaceState<{ stop: boolean }>(a, (s) => ({ ...s, stop: true }));
  t.true((await call(a, { type: 'count' })) > 0);
  await system.shutdown();
});

test('invalid scheduler options throw InvalidOptionError naming the option', (t) => {
  const bad: [Record<string, unknown>, string][] = [
    [{ sliceMs: 0 }, 'options.scheduler.sliceMs'],
    [{ sliceMs: -1 }, 'options.scheduler.sliceMs'],
    [{ sliceMs: Number.NaN }, 'options.scheduler.sliceMs'],
    [{ budget: 0 }, 'options.scheduler.budget'],
    [{ budget: 2.5 }, 'options.scheduler.budget'],
  ];
  for (const [scheduler, path] of bad) {
    const err = t.throws(() => createSystem({ scheduler }));
    t.true(err instanceof InvalidOptionError, JSON.stringify(scheduler));
    t.is((err as InvalidOptionError).option, path);
    t.true(err!.message.startsWith(`${path} must be `), err!.message);
  }
  t.notThrows(() => createSystem({ scheduler: { sliceMs: 0.5, budget: 1 } }));
});

test('messages from one sender are handled in send order, across casts, infos and calls', async (t) => {
  const { system } = capturingSystem();
  const ref = await system.spawn(Tally, { label: 'X' });
  const expected: string[] = [];
  const replies: Promise<string[]>[] = [];
  for (let i = 0; i < 300; i++) {
    const tag = String(i);
    if (i % 3 === 0) {
      cast(ref, { type: 'rec', tag });
      expected.push(`cast:${tag}`);
    } else if (i % 3 === 1) {
      send(ref, { type: 'rec', tag });
      expected.push(`info:${tag}`);
    } else {
      replies.push(call(ref, { type: 'seen' }));
      expected.push('call:seen');
    }
  }
  const all = await call(ref, { type: 'seen' });
  expected.push('call:seen');
  t.deepEqual(all, expected);
  // Each call saw exactly the messages sent before it.
  const seenByCalls = await Promise.all(replies);
  for (const seen of seenByCalls) t.deepEqual(seen, expected.slice(0, seen.length));
  await system.shutdown();
});

test('messages one actor sends to another are handled in send order', async (t) => {
  interface SenderProtocol {
    call: Call<'blast', true, { to: ActorRef<TallyProtocol>; n: number }>;
  }
  class Sender extends GenServer<SenderProtocol> {
    override handleCall(req: SenderProtocol['call']): true {
      for (let i = 0; i < req.n; i++) {
        if (i % 2 === 0) this.cast(req.to, { type: 'rec', tag: String(i) });
        else this.send(req.to, { type: 'rec', tag: String(i) });
      }
      return true;
    }
  }
  const { system } = capturingSystem();
  const target = await system.spawn(Tally, { label: 'T' });
  const sender = await system.spawn(Sender, undefined);
  await call(sender, { type: 'blast', to: target, n: 1000 });
  const seen = await call(target, { type: 'seen' });
  const expected = Array.from({ length: 1000 }, (_, i) => `${i % 2 === 0 ? 'cast' : 'info'}:${i}`);
  t.deepEqual(seen, [...expected, 'call:seen']);
  await system.shutdown();
});

test('messages that arrive while an async handler runs are handled after it, in order', async (t) => {
  interface AsyncProtocol {
    call: Call<'log', string[]>;
    cast: { type: 'slow' } | { type: 'rec'; tag: string };
  }
  class AsyncRec extends GenServer<AsyncProtocol, string[]> {
    override init(): void {
      this.state = [];
    }
    override handleCall(): string[] {
      return [...this.state];
    }
    override async handleCast(msg: AsyncProtocol['cast']): Promise<void> {
      if (msg.type === 'rec') {
        this.state.push(msg.tag);
        return;
      }
      this.state.push('slow:start');
      await new Promise((r) => setTimeout(r, 5));
      this.state.push('slow:end');
    }
  }
  const { system } = capturingSystem();
  const ref = await system.spawn(AsyncRec, undefined);
  cast(ref, { type: 'rec', tag: '1' });
  cast(ref, { type: 'slow' });
  cast(ref, { type: 'rec', tag: '2' });
  cast(ref, { type: 'rec', tag: '3' });
  t.deepEqual(await call(ref, { type: 'log' }), ['1', 'slow:start', 'slow:end', '2', '3']);
  await system.shutdown();
});
