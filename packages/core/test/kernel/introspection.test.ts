/**
 * sys-style introspection: getStatus, getState, replaceState, suspend / resume, and how
 * these requests behave on dead and stuck actors.
 */
import test from 'ava';
import {
  call,
  cast,
  CallExitError,
  CallTimeoutError,
  GenServer,
  NoProcError,
  openInbox,
  send,
  type ActorRef,
  type Call,
} from '../../src/index.js';
import { Counter, gate, Probe, type Gate } from '../support/actors.js';
import { capturingSystem, eventually, exitReasonOf, settle } from '../support/helpers.js';

// ------------------------------------------------------------------ getStatus

test('getStatus of a fresh actor, and as it handles messages', async (t) => {
  const { system } = capturingSystem();
  const ref = await system.spawn(Counter, 0, { name: 'c' });
  const s0 = system.getStatus(ref);
  t.like(s0, {
    id: ref.id,
    name: 'c',
    behaviour: 'Counter',
    status: 'waiting',
    mailboxLength: 0,
    messagesHandled: 0,
    trapExit: false,
    parent: undefined,
    links: [],
    monitors: [],
    monitoredBy: [],
    currentMessage: 'none',
    exitReason: undefined,
  });
  t.is(typeof s0.startedAt, 'number');
  t.true(s0.uptimeMs >= 0);

  cast(ref, { type: 'inc', by: 1 });
  t.is(system.getStatus(ref).mailboxLength, 1);
  t.is(system.getStatus(ref).status, 'running', 'runnable with mail queued');
  t.is(await call(ref, { type: 'get' }), 1);
  t.like(system.getStatus(ref), { status: 'waiting', messagesHandled: 2, currentMessage: 'call:get', mailboxLength: 0 });
  send(ref, { type: 'tick' });
  cast(ref, { type: 'inc', by: 1 });
  await call(ref, { type: 'get' });
  t.like(system.getStatus(ref), { messagesHandled: 5, currentMessage: 'call:get' });
  send(ref, { type: 'tick' });
  t.true(await eventually(() => system.getStatus(ref).messagesHandled === 6));
  t.is(system.getStatus(ref).currentMessage, 'info:tick');
  cast(ref, { type: 'inc', by: 1 });
  t.true(await eventually(() => system.getStatus(ref).messagesHandled === 7));
  t.is(system.getStatus(ref).currentMessage, 'cast:inc');
  await system.shutdown();
});

test("getStatus reports 'running' for an actor inside its own handler", async (t) => {
  const { system } = capturingSystem();
  const ref = await system.spawn(Probe, undefined);
  const inside = await call(ref, { type: 'status' });
  t.is(inside.status, 'running');
  t.is(inside.currentMessage, 'call:status');
  t.is(inside.messagesHandled, 1);
  t.is(system.getStatus(ref).status, 'waiting');
  await system.shutdown();
});

test('getStatus: links, monitors, monitoredBy, parent and trapExit', async (t) => {
  const { system } = capturingSystem();
  const inbox = await openInbox(system);
  const child = await inbox.spawnLink(Probe, { trap: true });
  const watched = await system.spawn(Probe, undefined);
  await call(child, { type: 'monitor', ref: watched });
  system.monitor(watched, () => {});

  t.like(system.getStatus(child), { parent: inbox.ref.id, trapExit: true, links: [inbox.ref.id], monitors: [watched.id], monitoredBy: [] });
  t.like(system.getStatus(inbox.ref), { parent: undefined, trapExit: false, links: [child.id] });
  t.deepEqual(system.getStatus(watched).monitoredBy, [child.id, 'external']);
  t.deepEqual(system.getStatus(watched).links, []);
  await system.shutdown();
});

test("getStatus of a dead actor: status 'dead' with the exit reason", async (t) => {
  const { system } = capturingSystem();
  const inbox = await openInbox(system);
  const ref = await inbox.spawnLink(Probe, undefined);
  const boom = new Error('boom');
  cast(ref, { type: 'crash', error: boom });
  t.is(await exitReasonOf(system, ref), boom);
  const s = system.getStatus(ref);
  t.like(s, { id: ref.id, status: 'dead', exitReason: boom, mailboxLength: 0, links: [], monitors: [], monitoredBy: [], uptimeMs: 0 });
  t.is(s.parent, inbox.ref.id, 'the parent is still reported');
  t.false(system.isAlive(inbox.ref), 'the (non-trapping) inbox died with its child');
  await system.shutdown();
});

interface SlowProtocol {
  call: Call<'hold', string, { until: Promise<void> }> | Call<'get', string>;
  cast: { type: 'set'; value: string };
}

interface SlowArg {
  readonly init?: Promise<void>;
  readonly terminate?: Promise<void>;
  readonly onInit?: (self: ActorRef) => void;
  readonly started?: Gate<void>;
}

/** Async init, handlers and terminate, each held open by a promise the test controls. */
class Slow extends GenServer<SlowProtocol, string, SlowArg> {
  arg!: SlowArg;

  override async init(arg: SlowArg): Promise<void> {
    this.arg = arg;
    this.state = 'init';
    arg.onInit?.(this.self);
    await arg.init;
    this.state = 'ready';
  }

  override handleCall(req: SlowProtocol['call']): string | Promise<string> {
    if (req.type === 'get') return this.state;
    return (async () => {
      this.state = 'half done';
      this.arg.started?.open();
      await req.until;
      this.state = 'done';
      return this.state;
    })();
  }

  override handleCast(msg: SlowProtocol['cast']): void {
    this.state = msg.value;
  }

  override async terminate(): Promise<void> {
    await this.arg.terminate;
  }
}

test("getStatus: 'initializing' during an async init, 'running' during an async handler, 'stopping' during an async terminate", async (t) => {
  const { system } = capturingSystem();
  const initGate = gate();
  const termGate = gate();
  const started = gate();
  let self: ActorRef | undefined;
  const spawned = system.spawn(Slow, { init: initGate.promise, terminate: termGate.promise, onInit: (r) => (self = r), started });
  t.truthy(self);
  t.is(system.getStatus(self!).status, 'initializing');
  initGate.open();
  const ref = await spawned;
  t.is<ActorRef | undefined, ActorRef | undefined>(ref, self);
  t.is(system.getStatus(ref).status, 'waiting');

  const release = gate();
  const held = call(ref, { type: 'hold', until: release.promise });
  await started.promise;
  t.like(system.getStatus(ref), { status: 'running', currentMessage: 'call:hold', mailboxLength: 0 });
  release.open();
  t.is(await held, 'done');

  const stopped = system.stop(ref, 'shutdown');
  t.true(await eventually(() => system.getStatus(ref).status === 'stopping'));
  termGate.open();
  await stopped;
  t.is(system.getStatus(ref).status, 'dead');
  await system.shutdown();
});

// ------------------------------------------------------------------ getState / replaceState

test('getState is served between messages: never in the middle of an async handler', async (t) => {
  const { system } = capturingSystem();
  const started = gate();
  const ref = await system.spawn(Slow, { started });
  t.is(await system.getState(ref), 'ready');
  const release = gate();
  const held = call(ref, { type: 'hold', until: release.promise });
  await started.promise;
  let answered = false;
  const state = system.getState<string>(ref).then((s) => {
    answered = true;
    return s;
  });
  await settle();
  t.false(answered, 'not while the handler is pending');
  release.open();
  t.is(await state, 'done', 'the state after the handler, never "half done"');
  t.is(await held, 'done');
  await system.shutdown();
});

test('getState is served while suspended, and does not let queued messages through', async (t) => {
  const { system } = capturingSystem();
  const ref = await system.spawn(Counter, 10);
  await system.suspend(ref);
  t.is(system.getStatus(ref).status, 'suspended');
  cast(ref, { type: 'inc', by: 1 });
  cast(ref, { type: 'inc', by: 2 });
  t.is(await system.getState(ref), 10);
  t.is(system.getStatus(ref).mailboxLength, 2);
  t.is(system.getStatus(ref).status, 'suspended');
  await system.resume(ref);
  t.is(await call(ref, { type: 'get' }), 13);
  await system.shutdown();
});

test('replaceState replaces the state between messages and resolves with the new state', async (t) => {
  const { system } = capturingSystem();
  const ref = await system.spawn(Counter, 1);
  t.is(await system.replaceState<number>(ref, (n) => n + 41), 42);
  t.is(await call(ref, { type: 'get' }), 42);

  await system.suspend(ref);
  cast(ref, { type: 'inc', by: 1 });
  t.is(await system.replaceState<number>(ref, (n) => n * 2), 84, 'while suspended, before the queued cast');
  await system.resume(ref);
  t.is(await call(ref, { type: 'get' }), 85);
  await system.shutdown();
});

test('a replaceState function that throws rejects with its error; the actor keeps its state and keeps running', async (t) => {
  const { system } = capturingSystem();
  const ref = await system.spawn(Counter, 7);
  const bad = new Error('bad state function');
  const err = await t.throwsAsync(
    system.replaceState<number>(ref, () => {
      throw bad;
    }),
  );
  t.is(err, bad);
  t.true(system.isAlive(ref));
  t.is(await call(ref, { type: 'get' }), 7);
  await system.shutdown();
});

// ------------------------------------------------------------------ suspend / resume

test('suspend keeps normal messages queued; resume handles them in order', async (t) => {
  const { system } = capturingSystem();
  const ref = await system.spawn(Probe, undefined);
  await system.suspend(ref);
  for (let n = 1; n <= 5; n++) send(ref, { n });
  let answered = false;
  const infos = call(ref, { type: 'infos' }).then((v) => {
    answered = true;
    return v;
  });
  t.is(system.getStatus(ref).mailboxLength, 6);
  await system.getState(ref); // a full round trip through the suspended actor
  await settle();
  t.false(answered, 'the call waits while suspended');
  t.is(system.getStatus(ref).messagesHandled, 0);

  await system.resume(ref);
  t.deepEqual(await infos, [{ n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }, { n: 5 }]);
  t.is(system.getStatus(ref).status, 'waiting');
  await system.shutdown();
});

test('a suspended trapping gen_server still terminates when its parent exits (as in OTP’s sys suspend loop)', async (t) => {
  const { system } = capturingSystem();
  const inbox = await openInbox(system);
  const terminated: unknown[] = [];
  const child = await inbox.spawnLink(Probe, { trap: true, onTerminate: (r) => terminated.push(r) });
  const other = await system.spawn(Probe, undefined);
  await call(child, { type: 'link', ref: other });
  await system.suspend(child);
  // An EXIT from another link is an ordinary message: it waits in the mailbox.
  system.exit(other, 'bad');
  t.true(system.isAlive(child));
  t.is(system.getStatus(child).mailboxLength, 1);
  // The parent's exit is not: the suspended child runs terminate and exits with the parent's reason.
  const down = exitReasonOf(system, child);
  await inbox.close('shutdown');
  t.is(await down, 'shutdown');
  t.deepEqual(terminated, ['shutdown']);
  await system.shutdown();
});

test('sys requests on a dead actor reject with NoProcError', async (t) => {
  const { system } = capturingSystem();
  const ref = await system.spawn(Counter, 1);
  await system.stop(ref);
  for (const p of [system.getState(ref), system.replaceState(ref, (s) => s), system.suspend(ref), system.resume(ref), system.stop(ref)]) {
    const err = await t.throwsAsync(p);
    t.true(err instanceof NoProcError, String(err));
  }
  await system.shutdown();
});

test('sys requests queued on an actor reject with NoProcError when it dies', async (t) => {
  const { system } = capturingSystem();
  const started = gate();
  const ref = await system.spawn(Slow, { started });
  const held = call(ref, { type: 'hold', until: new Promise<void>(() => {}) }, { timeout: Infinity });
  await started.promise;
  const state = system.getState(ref);
  system.exit(ref, 'kill');
  await t.throwsAsync(state, { instanceOf: NoProcError });
  const err = await t.throwsAsync(held);
  t.true(err instanceof CallExitError);
  await system.shutdown();
});

// ------------------------------------------------------------------ stuck actors

test('getState on an actor stuck in a never-ending async handler rejects with CallTimeoutError', async (t) => {
  const { system } = capturingSystem();
  const started = gate();
  const ref = await system.spawn(Slow, { started });
  const stuck = call(ref, { type: 'hold', until: new Promise<void>(() => {}) }, { timeout: Infinity });
  await started.promise;

  const err = await t.throwsAsync(system.getState(ref, { timeout: 50 }));
  t.true(err instanceof CallTimeoutError);
  t.is((err as CallTimeoutError).timeout, 50);
  await t.throwsAsync(system.replaceState(ref, (s) => s, { timeout: 50 }), { instanceOf: CallTimeoutError });
  await t.throwsAsync(system.stop(ref, 'shutdown', { timeout: 50 }), { instanceOf: CallTimeoutError });
  t.true(system.isAlive(ref), 'a timed-out stop leaves the actor running');
  t.is(system.getStatus(ref).status, 'running');

  // Settle the stuck call too: kill the actor.
  system.exit(ref, 'kill');
  const callErr = await t.throwsAsync(stuck);
  t.true(callErr instanceof CallExitError);
  t.is((callErr as CallExitError).reason, 'killed');
  await system.shutdown();
});
