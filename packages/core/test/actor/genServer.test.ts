import test from 'ava';
import {
  call,
  cast,
  GenServer,
  ignore,
  InitError,
  InitIgnoredError,
  noReply,
  shutdownWith,
  UnhandledMessageError,
  type Call,
  type ExitReason,
  type From,
} from '../../src/index.js';
import { Counter } from '../support/actors.js';
import { capturingSystem, eventually, sleep } from '../support/helpers.js';

/** Records every callback it gets, in order, into a shared log. */
interface TraceProtocol {
  call: Call<'log', string[]> | Call<'stop', 'ok', { reason: ExitReason }> | Call<'defer', number>;
  cast: { type: 'step'; label: string } | { type: 'wait'; ms: number; label: string } | { type: 'continue'; label: string } | { type: 'crash' } | { type: 'answer'; value: number };
}
class Trace extends GenServer<TraceProtocol, string[], string[]> {
  waiting: From<number> | undefined;
  override init(log: string[]): void {
    this.state = log;
    log.push('init');
  }
  override handleCall(req: TraceProtocol['call'], from: From<string[] | 'ok' | number>): string[] | 'ok' | typeof noReply {
    switch (req.type) {
      case 'log':
        return this.state;
      case 'stop':
        this.stop(req.reason);
        return 'ok';
      case 'defer':
        this.waiting = from as From<number>;
        return noReply;
    }
  }
  override async handleCast(msg: TraceProtocol['cast']): Promise<void> {
    switch (msg.type) {
      case 'step':
        this.state.push(msg.label);
        return;
      case 'wait':
        this.state.push(`${msg.label}:start`);
        await sleep(msg.ms);
        this.state.push(`${msg.label}:end`);
        return;
      case 'continue':
        this.state.push(msg.label);
        this.continue(`${msg.label}-continued`);
        return;
      case 'crash':
        throw new Error('trace crash');
      case 'answer':
        if (this.waiting) this.reply(this.waiting, msg.value);
        return;
    }
  }
  override handleContinue(arg: unknown): void {
    this.state.push(String(arg));
  }
  override terminate(reason: ExitReason): void {
    this.state.push(`terminate:${reason instanceof Error ? reason.message : JSON.stringify(reason)}`);
  }
}

test('an async handler finishes before the next message starts', async (t) => {
  const { system } = capturingSystem();
  const log: string[] = [];
  const ref = await system.spawn(Trace, log);
  cast(ref, { type: 'wait', ms: 20, label: 'a' });
  cast(ref, { type: 'step', label: 'b' });
  cast(ref, { type: 'wait', ms: 5, label: 'c' });
  t.deepEqual(await call(ref, { type: 'log' }), ['init', 'a:start', 'a:end', 'b', 'c:start', 'c:end']);
  await system.shutdown();
});

test('handleContinue runs after the handler and before the next message', async (t) => {
  const { system } = capturingSystem();
  const log: string[] = [];
  const ref = await system.spawn(Trace, log);
  cast(ref, { type: 'continue', label: 'x' });
  cast(ref, { type: 'step', label: 'y' });
  t.deepEqual(await call(ref, { type: 'log' }), ['init', 'x', 'x-continued', 'y']);
  await system.shutdown();
});

test('this.stop(reason) replies first, then terminate runs with the reason and the actor exits with it', async (t) => {
  const { system } = capturingSystem();
  const log: string[] = [];
  const ref = await system.spawn(Trace, log);
  const down = new Promise<unknown>((resolve) => system.monitor(ref, ({ reason }) => resolve(reason)));
  t.is(await call(ref, { type: 'stop', reason: shutdownWith('bye') }), 'ok');
  t.deepEqual(await down, { shutdown: 'bye' });
  t.deepEqual(log.at(-1), 'terminate:{"shutdown":"bye"}');
  await system.shutdown();
});

test('a crashing handler runs terminate with the error and the actor exits with it', async (t) => {
  const { system } = capturingSystem();
  const log: string[] = [];
  const ref = await system.spawn(Trace, log);
  const down = new Promise<unknown>((resolve) => system.monitor(ref, ({ reason }) => resolve(reason)));
  cast(ref, { type: 'crash' });
  const reason = await down;
  t.true(reason instanceof Error);
  t.is((reason as Error).message, 'trace crash');
  t.is(log.at(-1), 'terminate:trace crash');
  await system.shutdown();
});

test('a rejected async handler crashes the actor like a throw', async (t) => {
  class Rejecter extends GenServer<{ cast: { type: 'go' } }> {
    override async handleCast(): Promise<void> {
      await sleep(1);
      throw new Error('async boom');
    }
  }
  const { system } = capturingSystem();
  const ref = await system.spawn(Rejecter, undefined);
  const down = new Promise<unknown>((resolve) => system.monitor(ref, ({ reason }) => resolve(reason)));
  cast(ref, { type: 'go' });
  t.is(((await down) as Error).message, 'async boom');
  await system.shutdown();
});

test('a deferred reply (noReply, then this.reply) reaches the caller', async (t) => {
  const { system } = capturingSystem();
  const ref = await system.spawn(Trace, []);
  const answer = call(ref, { type: 'defer' });
  cast(ref, { type: 'answer', value: 42 });
  t.is(await answer, 42);
  await system.shutdown();
});

test('stop(ref) runs terminate; the actor is gone afterwards', async (t) => {
  const { system } = capturingSystem();
  const log: string[] = [];
  const ref = await system.spawn(Trace, log);
  await system.stop(ref, 'shutdown');
  t.false(system.isAlive(ref));
  t.is(log.at(-1), 'terminate:"shutdown"');
  t.is(system.getStatus(ref).exitReason, 'shutdown');
  await system.shutdown();
});

test('init that throws, rejects or stops makes spawn reject with InitError and start return error', async (t) => {
  class Throws extends GenServer {
    override init(): void {
      throw new Error('bad config');
    }
  }
  class Rejects extends GenServer {
    override async init(): Promise<void> {
      await sleep(1);
      throw new Error('late failure');
    }
  }
  class Stops extends GenServer {
    override init(): void {
      this.stop('no_database');
    }
  }
  const { system } = capturingSystem();
  const e1 = await t.throwsAsync(system.spawn(Throws, undefined));
  t.true(e1 instanceof InitError);
  t.is((e1 as InitError).code, 'init_failed');
  t.is(((e1 as InitError).reason as Error).message, 'bad config');
  const e2 = await t.throwsAsync(system.spawn(Rejects, undefined));
  t.is(((e2 as InitError).reason as Error).message, 'late failure');
  const r = await system.start(Stops, undefined);
  t.deepEqual(r, { status: 'error', reason: 'no_database' });
  t.is(system.size, 0, 'no actor is left behind by a failed init');
  await system.shutdown();
});

test('init returning ignore: spawn rejects with InitIgnoredError, start returns ignore', async (t) => {
  class Declines extends GenServer<{}, undefined, boolean> {
    override init(enabled: boolean) {
      if (!enabled) return ignore;
    }
  }
  const { system } = capturingSystem();
  t.deepEqual(await system.start(Declines, false), { status: 'ignore' });
  const e = await t.throwsAsync(system.spawn(Declines, false));
  t.true(e instanceof InitIgnoredError);
  const r = await system.start(Declines, true);
  t.is(r.status, 'ok');
  t.is(system.size, 1);
  await system.shutdown();
});

test('async init: messages sent during init are handled after it, in order', async (t) => {
  class Slow extends GenServer<{ cast: { type: 'add'; n: number }; call: Call<'get', number[]> }, number[]> {
    override async init(): Promise<void> {
      this.state = [];
      await sleep(10);
      this.state.push(0);
    }
    override handleCast(msg: { n: number }): void {
      this.state.push(msg.n);
    }
    override handleCall(): number[] {
      return this.state;
    }
  }
  const { system } = capturingSystem();
  const spawning = system.spawn(Slow, undefined, { name: 'slow' });
  await sleep(1);
  const ref = system.whereis<{ cast: { type: 'add'; n: number }; call: Call<'get', number[]> }>('slow')!;
  t.truthy(ref, 'registered before init');
  t.is(system.getStatus(ref).status, 'initializing');
  cast(ref, { type: 'add', n: 1 });
  cast(ref, { type: 'add', n: 2 });
  await spawning;
  t.deepEqual(await call(ref, { type: 'get' }), [0, 1, 2]);
  await system.shutdown();
});

test('a cast the behaviour does not handle crashes it with UnhandledMessageError', async (t) => {
  class CallsOnly extends GenServer<{ cast: { type: 'x' } }> {}
  const { system } = capturingSystem();
  const ref = await system.spawn(CallsOnly, undefined);
  const down = new Promise<unknown>((resolve) => system.monitor(ref, ({ reason }) => resolve(reason)));
  cast(ref, { type: 'x' });
  const reason = await down;
  t.true(reason instanceof UnhandledMessageError);
  t.regex((reason as Error).message, /define handleCast/);
  await system.shutdown();
});

test('a null or non-object call to a behaviour with no handleCall crashes it with UnhandledMessageError, not a TypeError', async (t) => {
  class CastsOnly extends GenServer<{ cast: { type: 'x' } }> {}
  const { system } = capturingSystem();
  for (const request of [null, undefined, 5, 'get']) {
    const ref = await system.spawn(CastsOnly, undefined);
    const err = await t.throwsAsync(call(ref, request as never));
    t.true((err as { reason?: unknown }).reason instanceof UnhandledMessageError, `${String(request)}: ${String((err as { reason?: unknown }).reason)}`);
  }
  await system.shutdown();
});

test('system.shutdown stops every actor with terminate, and refuses new spawns', async (t) => {
  const { system } = capturingSystem();
  const logs = [[], [], []] as string[][];
  for (const l of logs) await system.spawn(Trace, l);
  await system.shutdown();
  t.is(system.size, 0);
  for (const l of logs) t.is(l.at(-1), 'terminate:"shutdown"');
  const e = await t.throwsAsync(system.spawn(Counter, 0));
  t.is((e as { code?: string }).code, 'system_stopped');
});

test('shutdown kills an actor whose terminate never returns, after the timeout', async (t) => {
  class Stuck extends GenServer {
    override terminate(): Promise<void> {
      return new Promise(() => {});
    }
  }
  const { system } = capturingSystem();
  const ref = await system.spawn(Stuck, undefined);
  await system.shutdown({ timeout: 30 });
  t.false(system.isAlive(ref));
  t.is(system.getStatus(ref).exitReason, 'killed');
});

test('the ref of a dead actor stays a usable value', async (t) => {
  const { system } = capturingSystem();
  const ref = await system.spawn(Counter, 1);
  const id = ref.id;
  system.exit(ref, 'kill');
  t.true(await eventually(() => !system.isAlive(ref)));
  t.is(ref.id, id);
  t.is(String(ref), `ActorRef<Counter#${id}>`);
  t.is(JSON.stringify({ ref }), JSON.stringify({ ref: id }));
  t.is(system.lookup(id), undefined);
  await system.shutdown();
});
