import test from 'ava';
import { exit, GenServer, type Call, InvalidOptionError, openInbox } from '../../src/index.js';
import { Counter } from '../support/actors.js';
import { capturingSystem, settle } from '../support/helpers.js';

/** Sends `exit(target, undefined)` from inside an actor when asked. */
class Sender extends GenServer<{ call: Call<'exit', string, { target: unknown }> }, undefined> {
  override handleCall(req: { target: unknown }): string {
    try {
      this.exit(req.target as never, undefined as never);
      return 'sent';
    } catch (e) {
      return e instanceof InvalidOptionError ? e.message : String(e);
    }
  }
}

test('exit(ref, undefined): a missing reason is refused with InvalidOptionError and the target lives on', async (t) => {
  const { system } = capturingSystem();
  const target = await system.spawn(Counter, 0);
  const e = t.throws(() => exit(target, undefined as never), { instanceOf: InvalidOptionError });
  t.is(e!.code, 'invalid_option');
  t.regex(e!.message, /^exit: reason must be an exit reason \('normal', 'shutdown', 'kill', an Error or any other value\), got: undefined$/);
  t.throws(() => system.exit(target, undefined as never), { instanceOf: InvalidOptionError });
  const inbox = await openInbox(system);
  t.throws(() => inbox.exit(target, undefined as never), { instanceOf: InvalidOptionError });
  const sender = await system.spawn(Sender, undefined);
  t.regex(await system.call(sender, { type: 'exit', target }), /exit: reason must be/);
  await settle();
  t.true(system.isAlive(target), 'no exit signal was sent');
  // A given reason still works as before.
  exit(target, 'kill');
  t.false(system.isAlive(target));
  await system.shutdown();
});
