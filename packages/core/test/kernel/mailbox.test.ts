/**
 * Bounded mailboxes: the three overflow policies, signals that bypass the bound, and
 * option validation. `system.suspend` keeps messages queued while a test fills the mailbox.
 */
import test from 'ava';
import {
  call,
  cast,
  GenServer,
  InvalidOptionError,
  MailboxFullError,
  MessageDroppedError,
  send,
  type ActorRef,
  type Call,
  type OverflowPolicy,
} from '../../src/index.js';
import { Probe } from '../support/actors.js';
import { capturingSystem, eventually } from '../support/helpers.js';

interface RecorderProtocol {
  call: Call<'log', string[]> | Call<'echo', number, { n: number }> | Call<'watch', true, { ref: ActorRef }>;
  cast: { type: 'rec'; n: number };
  info: { type: 'rec'; n: number };
}

/** Records every message it handles, in order, as `kind:detail`. */
class Recorder extends GenServer<RecorderProtocol, string[]> {
  override init(): void {
    this.state = [];
  }

  override handleCall(req: RecorderProtocol['call']): string[] | number | true {
    switch (req.type) {
      case 'log':
        return [...this.state];
      case 'echo':
        this.state.push(`call:${req.n}`);
        return req.n;
      case 'watch':
        this.monitor(req.ref);
        return true;
    }
  }

  override handleCast(msg: RecorderProtocol['cast']): void {
    this.state.push(`cast:${msg.n}`);
  }

  override handleInfo(msg: { type: string; n?: number; reason?: unknown }): void {
    this.state.push(msg.type === 'rec' ? `info:${msg.n}` : `${msg.type}:${String(msg.reason)}`);
  }
}

test('drop_newest: messages past the capacity are dropped; a dropped call rejects with MessageDroppedError', async (t) => {
  const { system } = capturingSystem();
  const ref = await system.spawn(Recorder, undefined, { mailbox: { capacity: 3, overflow: 'drop_newest' } });
  await system.suspend(ref);
  cast(ref, { type: 'rec', n: 1 });
  cast(ref, { type: 'rec', n: 2 });
  cast(ref, { type: 'rec', n: 3 });
  t.notThrows(() => cast(ref, { type: 'rec', n: 4 }), 'a dropped cast is silent');
  t.notThrows(() => send(ref, { type: 'rec', n: 5 }));
  const dropped = call(ref, { type: 'echo', n: 6 });
  t.is(system.getStatus(ref).mailboxLength, 3);
  const err = await t.throwsAsync(dropped);
  t.true(err instanceof MessageDroppedError);
  t.is((err as MessageDroppedError).code, 'dropped');
  t.is((err as MessageDroppedError).policy, 'drop_newest');
  t.is((err as MessageDroppedError).actor, ref);

  await system.resume(ref);
  t.deepEqual(await call(ref, { type: 'log' }), ['cast:1', 'cast:2', 'cast:3']);
  // Once there is room again, messages get in.
  t.is(await call(ref, { type: 'echo', n: 7 }), 7);
  await system.shutdown();
});

test('drop_newest is the default policy', async (t) => {
  const { system } = capturingSystem();
  const ref = await system.spawn(Recorder, undefined, { mailbox: { capacity: 2 } });
  // Without suspend: the actor cannot run while this synchronous loop casts.
  for (let n = 1; n <= 100; n++) cast(ref, { type: 'rec', n });
  t.is(system.getStatus(ref).mailboxLength, 2);
  // A call now would be dropped too: wait for the two casts to be handled.
  t.true(await eventually(() => system.getStatus(ref).mailboxLength === 0));
  t.deepEqual(await call(ref, { type: 'log' }), ['cast:1', 'cast:2']);
  t.is(system.getStatus(ref).messagesHandled, 3);
  await system.shutdown();
});

test('drop_oldest: the oldest user message makes room; a dropped call rejects with MessageDroppedError', async (t) => {
  const { system } = capturingSystem();
  const ref = await system.spawn(Recorder, undefined, { mailbox: { capacity: 3, overflow: 'drop_oldest' } });
  await system.suspend(ref);
  const first = call(ref, { type: 'echo', n: 1 });
  cast(ref, { type: 'rec', n: 2 });
  cast(ref, { type: 'rec', n: 3 });
  cast(ref, { type: 'rec', n: 4 }); // drops the call
  cast(ref, { type: 'rec', n: 5 }); // drops cast 2
  send(ref, { type: 'rec', n: 6 }); // drops cast 3
  t.is(system.getStatus(ref).mailboxLength, 3);
  const err = await t.throwsAsync(first);
  t.true(err instanceof MessageDroppedError);
  t.is((err as MessageDroppedError).policy, 'drop_oldest');

  await system.resume(ref);
  t.deepEqual(await call(ref, { type: 'log' }), ['cast:4', 'cast:5', 'info:6']);
  await system.shutdown();
});

test('reject: a cast into a full mailbox throws MailboxFullError, a call rejects with it', async (t) => {
  const { system } = capturingSystem();
  const ref = await system.spawn(Recorder, undefined, { mailbox: { capacity: 2, overflow: 'reject' } });
  await system.suspend(ref);
  cast(ref, { type: 'rec', n: 1 });
  cast(ref, { type: 'rec', n: 2 });
  const err = t.throws(() => cast(ref, { type: 'rec', n: 3 }));
  t.true(err instanceof MailboxFullError);
  t.is((err as MailboxFullError).code, 'mailbox_full');
  t.is((err as MailboxFullError).capacity, 2);
  t.is((err as MailboxFullError).actor, ref);
  t.throws(() => system.cast(ref, { type: 'rec', n: 3 }), { instanceOf: MailboxFullError });
  t.throws(() => send(ref, { type: 'rec', n: 4 }), { instanceOf: MailboxFullError });
  await t.throwsAsync(call(ref, { type: 'echo', n: 5 }), { instanceOf: MailboxFullError });
  t.is(system.getStatus(ref).mailboxLength, 2);

  await system.resume(ref);
  t.deepEqual(await call(ref, { type: 'log' }), ['cast:1', 'cast:2']);
  t.notThrows(() => cast(ref, { type: 'rec', n: 6 }), 'room again once drained');
  t.deepEqual(await call(ref, { type: 'log' }), ['cast:1', 'cast:2', 'cast:6']);
  await system.shutdown();
});

const policies: OverflowPolicy[] = ['drop_newest', 'drop_oldest', 'reject'];

for (const overflow of policies) {
  test(`${overflow}: DOWN and EXIT signals are never dropped or refused by the bound`, async (t) => {
    const { system } = capturingSystem();
    const ref = await system.spawn(Recorder, undefined, { mailbox: { capacity: 2, overflow }, trapExit: true });
    const watched = await system.spawn(Probe, undefined);
    const linked = await system.spawn(Probe, undefined);
    await call(ref, { type: 'watch', ref: watched });
    await call(linked, { type: 'link', ref });

    await system.suspend(ref);
    cast(ref, { type: 'rec', n: 1 });
    cast(ref, { type: 'rec', n: 2 });
    // The mailbox is full; these signals still get in, and do not push user messages out.
    t.notThrows(() => system.exit(watched, 'watched_died'));
    t.notThrows(() => system.exit(linked, 'linked_died'));
    t.notThrows(() => system.exit(ref, 'sent_exit'));
    t.false(system.isAlive(watched));
    t.false(system.isAlive(linked));
    t.is(system.getStatus(ref).mailboxLength, 5);

    await system.resume(ref);
    t.deepEqual(await call(ref, { type: 'log' }), ['cast:1', 'cast:2', 'DOWN:watched_died', 'EXIT:linked_died', 'EXIT:sent_exit']);
    await system.shutdown();
  });
}

test('drop_oldest never drops a queued signal to make room', async (t) => {
  const { system } = capturingSystem();
  const ref = await system.spawn(Recorder, undefined, { mailbox: { capacity: 2, overflow: 'drop_oldest' } });
  const watched = await system.spawn(Probe, undefined);
  await call(ref, { type: 'watch', ref: watched });
  await system.suspend(ref);
  system.exit(watched, 'gone'); // DOWN queued first: the oldest entry
  cast(ref, { type: 'rec', n: 1 });
  cast(ref, { type: 'rec', n: 2 }); // full: drops cast 1, not the DOWN
  await system.resume(ref);
  t.deepEqual(await call(ref, { type: 'log' }), ['DOWN:gone', 'cast:2']);
  await system.shutdown();
});

test('invalid mailbox options throw InvalidOptionError naming the option path', async (t) => {
  const { system } = capturingSystem();
  const bad: [unknown, string][] = [
    [{ capacity: 0 }, 'options.mailbox.capacity'],
    [{ capacity: -1 }, 'options.mailbox.capacity'],
    [{ capacity: 1.5 }, 'options.mailbox.capacity'],
    [{ capacity: '10' }, 'options.mailbox.capacity'],
    [{ capacity: 10, overflow: 'drop_random' }, 'options.mailbox.overflow'],
    [null, 'options.mailbox'],
  ];
  for (const [mailbox, path] of bad) {
    const options = { mailbox } as unknown as Parameters<typeof system.spawn>[2];
    const err = await t.throwsAsync(system.spawn(Recorder, undefined, options));
    t.true(err instanceof InvalidOptionError, `${JSON.stringify(mailbox)} is invalid`);
    t.is((err as InvalidOptionError).option, path);
    t.true((err as InvalidOptionError).message.startsWith(`${path} must be `), (err as Error).message);
    await t.throwsAsync(system.start(Recorder, undefined, options), { instanceOf: InvalidOptionError }, 'start rejects on misuse too');
  }
  const overflowErr = await t.throwsAsync(
    system.spawn(Recorder, undefined, { mailbox: { capacity: 1, overflow: 'nope' as OverflowPolicy } }),
  );
  t.regex(overflowErr!.message, /'drop_newest', 'drop_oldest', 'reject'/, 'the message lists the valid policies');
  t.is(system.size, 0, 'nothing was started');
  await system.shutdown();
});

test('queued sys requests do not count against the bound: casts after a pending getState still get in', async (t) => {
  const { system } = capturingSystem();
  const ref = await system.spawn(Recorder, undefined, { mailbox: { capacity: 2, overflow: 'reject' } });
  await system.suspend(ref);
  // Both requests wait in the mailbox until the actor's next turn, while the casts arrive.
  const states = [system.getState(ref), system.getState(ref)];
  t.notThrows(() => cast(ref, { type: 'rec', n: 1 }));
  t.notThrows(() => cast(ref, { type: 'rec', n: 2 }));
  t.throws(() => cast(ref, { type: 'rec', n: 3 }), { instanceOf: MailboxFullError }, 'the bound still holds for messages');
  await Promise.all(states);
  await system.resume(ref);
  t.deepEqual(await call(ref, { type: 'log' }), ['cast:1', 'cast:2']);
  await system.shutdown();
});
