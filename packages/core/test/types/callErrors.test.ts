/**
 * What the compile errors of a wrong call, cast or send say: they list what the actor
 * accepts (or say that it accepts no message of that kind), instead of "not assignable to
 * type 'never'". Each case is compiled with the TypeScript compiler; the runtime test at
 * the end checks the same refs still work.
 */
import test from 'ava';
import { call, cast, GenServer, send, type Call } from '../../src/index.js';
import { capturingSystem } from '../support/helpers.js';
import { compileCases } from '../support/compileCases.js';

const header = `
import { call, cast, send, GenServer, type ActorRef, type ActorSystem, type Call } from '@core';
interface CounterProtocol {
  call: Call<'get', number> | Call<'add', number, { by: number }>;
  cast: { type: 'inc'; by: number };
  info: { type: 'tick' };
}
declare const counter: ActorRef<CounterProtocol>;
declare const castOnly: ActorRef<{ cast: { type: 'ping' } }>;
declare const callOnly: ActorRef<{ call: Call<'get', number> }>;
declare const system: ActorSystem;
`;

const errors = compileCases(header, {
  unknownTag: "void call(counter, { type: 'nope' });",
  castToCall: "void call(counter, { type: 'inc', by: 1 });",
  systemCall: "void system.call(counter, { type: 'nope' });",
  behaviourCall: "class C extends GenServer { override init() { void this.call(counter, { type: 'nope' }); } } void C;",
  noCallsCastTag: "void call(castOnly, { type: 'ping' });",
  noCalls: "void call(castOnly, { type: 'other' });",
  noCasts: "cast(callOnly, { type: 'inc', by: 1 });",
  noInfo: "send(castOnly, { type: 'tick' });",
  wrongInfo: "send(counter, { type: 'tock' });",
  wrongCast: "cast(counter, { type: 'nope' });",
  fine: "const n: number = await call(counter, { type: 'add', by: 1 }); cast(counter, { type: 'inc', by: 1 }); send(counter, { type: 'tick' }); void n;",
});

const tags = `'"get" | "add"'`;

test('a call with a tag the protocol lacks lists the accepted tags', (t) => {
  t.deepEqual(errors.unknownTag, [`Type '"nope"' is not assignable to type ${tags}.`]);
  t.deepEqual(errors.systemCall, [`Type '"nope"' is not assignable to type ${tags}.`]);
  t.deepEqual(errors.behaviourCall, [`Type '"nope"' is not assignable to type ${tags}.`]);
});

test('a cast message passed to call lists the accepted call tags', (t) => {
  t.is(errors.castToCall!.length, 1);
  t.true(errors.castToCall![0]!.startsWith(`Type '"inc"' is not assignable to type ${tags}.`), errors.castToCall![0]);
});

test('a call to an actor with no calls says so, and points a cast tag to cast', (t) => {
  t.is(errors.noCallsCastTag!.length, 1);
  t.true(errors.noCallsCastTag![0]!.includes("this actor takes no calls: 'ping' is one of its casts, send it with cast(ref, msg)"), errors.noCallsCastTag![0]);
  t.is(errors.noCalls!.length, 1);
  t.true(errors.noCalls![0]!.includes('this actor takes no calls (its Protocol has no `call`)'), errors.noCalls![0]);
});

test('a cast or send to an actor with none of that kind says so; a wrong one lists the accepted ones', (t) => {
  t.is(errors.noCasts!.length, 1);
  t.true(errors.noCasts![0]!.includes('this actor takes no casts (its Protocol has no `cast`)'), errors.noCasts![0]);
  t.is(errors.noInfo!.length, 1);
  t.true(errors.noInfo![0]!.includes('this actor takes no info messages (its Protocol has no `info`)'), errors.noInfo![0]);
  t.deepEqual(errors.wrongInfo, [`Type '"tock"' is not assignable to type '"tick"'.`]);
  t.deepEqual(errors.wrongCast, [`Type '"nope"' is not assignable to type '"inc"'.`]);
  for (const list of Object.values(errors)) for (const e of list) t.false(e.includes("'never'"), e);
});

test('the right messages compile, and behave at run time as typed', async (t) => {
  t.deepEqual(errors.fine, []);
  interface P {
    call: Call<'get', number> | Call<'add', number, { by: number }>;
    cast: { type: 'inc'; by: number };
    info: { type: 'tick' };
  }
  class Counter extends GenServer<P, number> {
    override init(): void {
      this.state = 0;
    }
    override handleCall(req: P['call']): number {
      return req.type === 'get' ? this.state : (this.state += req.by);
    }
    override handleCast(msg: P['cast']): void {
      this.state += msg.by;
    }
    override handleInfo(): void {
      this.state += 100;
    }
  }
  const { system } = capturingSystem();
  const counter = await system.spawn(Counter, undefined);
  t.is(await call(counter, { type: 'add', by: 2 }), 2);
  cast(counter, { type: 'inc', by: 3 });
  send(counter, { type: 'tick' });
  t.is(await call(counter, { type: 'get' }), 105);
  await system.shutdown();
});
