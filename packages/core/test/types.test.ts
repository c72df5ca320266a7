/**
 * Type tests: each `@ts-expect-error` line must fail to compile, so the build fails if
 * the typing ever lets a wrong message or a mistyped reply through. The runtime part
 * checks the same refs behave as typed.
 */
import test from 'ava';
import { call, cast, GenServer, send, type ActorRef, type Call, type ReplyOf } from '../src/index.js';
import { Counter, type CounterProtocol } from './support/actors.js';
import { capturingSystem } from './support/helpers.js';

interface EchoProtocol {
  call: Call<'echo', string, { text: string }> | Call<'len', number, { text: string }>;
}
class Echo extends GenServer<EchoProtocol> {
  override handleCall(req: EchoProtocol['call']): string | number {
    return req.type === 'echo' ? req.text : req.text.length;
  }
}

class CastOnly extends GenServer<{ cast: { type: 'ping' } }> {
  override handleCast(): void {}
}

// Reply types are inferred per request.
type _EchoReply = ReplyOf<EchoProtocol, { type: 'echo'; text: string }>;
const _echoIsString: _EchoReply = 'x';
// @ts-expect-error the reply of 'echo' is a string, not a number
const _echoNotNumber: _EchoReply = 1;

function compileOnly(counter: ActorRef<CounterProtocol>, echo: ActorRef<EchoProtocol>, castOnly: ActorRef<{ cast: { type: 'ping' } }>): void {
  // @ts-expect-error 'nope' is not a request Counter accepts
  void call(counter, { type: 'nope' });
  // @ts-expect-error 'add' needs `by`
  void call(counter, { type: 'add' });
  // @ts-expect-error `by` must be a number
  cast(counter, { type: 'inc', by: 'one' });
  // @ts-expect-error a cast message is not a call request
  void call(counter, { type: 'inc', by: 1 });
  // @ts-expect-error CastOnly accepts no calls at all
  void call(castOnly, { type: 'ping' });
  // @ts-expect-error Counter's info messages are { type: 'tick' } only
  send(counter, { type: 'tock' });
  // @ts-expect-error spawn(Counter, ...) needs a number start argument
  void capturingSystem().system.spawn(Counter, 'two');
  // @ts-expect-error a ref of one protocol is not a ref of another
  const _wrong: ActorRef<EchoProtocol> = counter;

  void (async () => {
    // @ts-expect-error call(counter, get) resolves to number, not string
    const _s: string = await call(counter, { type: 'get' });
    const _n: number = await call(counter, { type: 'get' });
    const _e: string = await call(echo, { type: 'echo', text: 'hi' });
    // @ts-expect-error 'len' replies with a number
    const _l: string = await call(echo, { type: 'len', text: 'hi' });
  })();
}
void compileOnly;

test('typed refs from spawn carry the protocol: replies arrive with the inferred types', async (t) => {
  const { system } = capturingSystem();
  const echo = await system.spawn(Echo, undefined);
  const text: string = await call(echo, { type: 'echo', text: 'hello' });
  const len: number = await call(echo, { type: 'len', text: 'hello' });
  t.is(text, 'hello');
  t.is(len, 5);
  const counter: ActorRef<CounterProtocol> = await system.spawn(Counter, 2);
  t.is(await system.call(counter, { type: 'get' }), 2);
  const crash = await t.throwsAsync(call(counter, { type: 'crash' }));
  t.is((crash as { code?: string }).code, 'exit', 'a call whose handler throws rejects with the exit reason at once');
  await system.shutdown();
});
