/**
 * Replies tied to their requests: a GenServer's `calls` map has one handler per request
 * tag, each checked against its own reply type (where `handleCall` returns the union of
 * every reply). The `@ts-expect-error` lines must fail to compile; the compiled cases
 * check what the errors say; the runtime tests check the map answers calls.
 */
import test from 'ava';
import { call, GenServer, noReply, type ActorRef, type Call, type CallHandler, type CallHandlers, type From } from '../../src/index.js';
import { capturingSystem } from '../support/helpers.js';
import { compileCases } from '../support/compileCases.js';

interface StoreProtocol {
  call: Call<'get', number> | Call<'name', string, { upper: boolean }> | Call<'later', number> | Call<'slow', string>;
  cast: { type: 'release'; value: number };
}

class Store extends GenServer<StoreProtocol, number, number> {
  pending: From<number>[] = [];

  override init(start: number): void {
    this.state = start;
  }

  override readonly calls: CallHandlers<StoreProtocol> = {
    get: () => this.state,
    name: (req) => (req.upper ? 'STORE' : 'store'),
    later: (_req, from) => {
      this.pending.push(from);
      return noReply;
    },
    slow: async () => `slow ${this.state}`,
  };

  override handleCast(msg: StoreProtocol['cast']): void {
    for (const from of this.pending.splice(0)) this.reply(from, msg.value);
  }
}

// The union form keeps working unchanged.
class UnionStore extends GenServer<StoreProtocol, number> {
  override handleCall(req: StoreProtocol['call']): number | string {
    return req.type === 'get' || req.type === 'later' ? 1 : 'x';
  }
}
void UnionStore;

function compileOnly(): void {
  const _wrongReply: CallHandlers<StoreProtocol> = {
    // @ts-expect-error 'get' replies with a number
    get: () => 'zero',
    name: () => 'n',
    later: () => 1,
    slow: () => 's',
  };
  // @ts-expect-error 'slow' is missing: every request needs its handler
  const _missing: CallHandlers<StoreProtocol> = { get: () => 1, name: () => 'n', later: () => 1 };
  const _extra: CallHandlers<StoreProtocol> = {
    get: () => 1,
    name: () => 'n',
    later: () => 1,
    slow: () => 's',
    // @ts-expect-error 'nope' is not a request of the protocol
    nope: () => 1,
  };
  // @ts-expect-error a promise of the wrong reply fails too
  const _async: CallHandler<StoreProtocol, 'slow'> = async () => 2;
  // @ts-expect-error the request is narrowed to its own payload: 'get' has no `upper`
  const _payload: CallHandler<StoreProtocol, 'get'> = (req) => (req.upper ? 1 : 0);
  const _from: CallHandler<StoreProtocol, 'later'> = (_req, from) => {
    const _typed: From<number> = from;
    // @ts-expect-error `from` waits for this request's reply (a number)
    const _wrong: From<string> = from;
    return noReply;
  };
}
void compileOnly;

const errors = compileCases(
  `import { GenServer, type Call, type CallHandlers } from '@core';
interface P { call: Call<'get', number> | Call<'name', string> }`,
  {
    wrongReply: "class S extends GenServer<P, number> { override readonly calls: CallHandlers<P> = { get: () => 'zero', name: () => 'n' }; } void S;",
    missing: 'class S extends GenServer<P, number> { override readonly calls: CallHandlers<P> = { get: () => 1 }; } void S;',
    right: "class S extends GenServer<P, number> { override readonly calls: CallHandlers<P> = { get: () => this.state, name: () => 'n' }; } void S;",
  },
);

test('a wrong reply in the calls map fails to compile, naming the reply type of that request', (t) => {
  t.is(errors.wrongReply!.length, 1);
  t.true(errors.wrongReply![0]!.includes("Type 'string' is not assignable to type 'number | unique symbol | Promise<number | unique symbol>'"), errors.wrongReply![0]);
  t.is(errors.missing!.length, 1);
  t.true(errors.missing![0]!.includes("Property 'name' is missing"), errors.missing![0]);
  t.deepEqual(errors.right, []);
});

test('the calls map answers each request with its handler: sync, async, and noReply answered later', async (t) => {
  const { system } = capturingSystem();
  const store = await system.spawn(Store, 7);
  const n: number = await call(store, { type: 'get' });
  t.is(n, 7);
  t.is(await call(store, { type: 'name', upper: true }), 'STORE');
  t.is(await call(store, { type: 'slow' }), 'slow 7');
  const later = call(store, { type: 'later' });
  system.cast(store, { type: 'release', value: 42 });
  t.is(await later, 42);
  await system.shutdown();
});

test('a request with no handler in the map crashes the actor with UnhandledMessageError naming the map entry', async (t) => {
  const { system } = capturingSystem();
  const store = await system.spawn(Store, 0);
  // An untyped ref gets past the types: the runtime still names what is missing.
  const untyped: ActorRef = store;
  const err = await t.throwsAsync(call(untyped, { type: 'toString' }));
  t.is((err as { code?: string }).code, 'exit');
  const reason = (err as { reason?: { code?: string; message?: string } }).reason;
  t.is(reason?.code, 'unhandled_message');
  t.regex(reason?.message ?? '', /calls\["toString"\]/);
  await system.shutdown();
});
