/**
 * Links and exit signals (reference semantics §1): propagation to every link, trapping,
 * `kill`, `normal`, unlink, links to dead actors, long chains, the parent rule of a
 * trapping gen_server, and kills that land while an async handler is pending.
 */
import test from 'ava';
import {
  call,
  cast,
  CallExitError,
  GenServer,
  NoProcError,
  openInbox,
  shutdownWith,
  type ActorRef,
  type Call,
  type ExitMessage,
  type ExitReason,
} from '../../src/index.js';
import { gate, Probe, type ProbeArg, type ProbeProtocol } from '../support/actors.js';
import { capturingSystem, exitReasonOf, settle, syncInbox, syncLogs } from '../support/helpers.js';

const isExit = (m: { type?: unknown }): boolean => m.type === 'EXIT';

// ------------------------------------------------------------------ propagation

test('an exit reaches every link: trapping links get an EXIT message, non-trapping links die with the same reason', async (t) => {
  const { system } = capturingSystem();
  const inbox = await openInbox(system);
  inbox.trapExit(true);
  const a = await system.spawn(Probe, undefined);
  const b = await system.spawn(Probe, undefined);
  const c = await system.spawn(Probe, undefined);
  const d = await system.spawn(Probe, { trap: true });
  inbox.link(a);
  for (const r of [b, c, d]) await call(r, { type: 'link', ref: a });
  t.is(system.getStatus(a).links.length, 4);

  const boom = new Error('boom');
  cast(a, { type: 'crash', error: boom });
  const exit = await inbox.receive<ExitMessage>(isExit);
  t.deepEqual(exit, { type: 'EXIT', from: a, reason: boom });
  t.is(exit.reason, boom, 'the very reason, not a copy');

  // Non-trapping links died with the same reason; the trapping actor lives and got an EXIT.
  for (const r of [b, c]) {
    t.false(system.isAlive(r));
    t.is(system.getStatus(r).exitReason, boom);
  }
  t.true(system.isAlive(d));
  const infos = await call(d, { type: 'infos' });
  t.deepEqual(infos, [{ type: 'EXIT', from: a, reason: boom }]);
  t.deepEqual(system.getStatus(d).links, [], 'the link to the dead actor is gone');
  await system.shutdown();
});

test('a non-trapping link ignores a normal exit; a trapping one gets EXIT normal', async (t) => {
  const { system } = capturingSystem();
  const inbox = await openInbox(system);
  inbox.trapExit(true);
  const a = await system.spawn(Probe, undefined);
  const b = await system.spawn(Probe, undefined);
  inbox.link(a);
  await call(b, { type: 'link', ref: a });
  cast(a, { type: 'stop', reason: 'normal' });
  t.deepEqual(await inbox.receive(isExit), { type: 'EXIT', from: a, reason: 'normal' });
  t.false(system.isAlive(a));
  t.true(system.isAlive(b));
  t.deepEqual(await call(b, { type: 'infos' }), [], 'no EXIT message either');
  t.deepEqual(system.getStatus(b).links, []);
  await system.shutdown();
});

const abnormal: [string, () => ExitReason][] = [
  ['an Error', () => new Error('crashed')],
  ["'shutdown'", () => 'shutdown'],
  ['{shutdown: detail} (shutdownWith)', () => shutdownWith({ why: 'config reloaded' })],
  ["'killed'", () => 'killed'],
  ['any other string', () => 'custom_reason'],
  ['any other object', () => ({ code: 42 })],
];

for (const [label, make] of abnormal) {
  test(`a non-trapping link dies with the same reason when a linked actor stops with ${label}`, async (t) => {
    const { system } = capturingSystem();
    const inbox = await openInbox(system);
    inbox.trapExit(true);
    const reason = make();
    const a = await system.spawn(Probe, undefined);
    const b = await system.spawn(Probe, undefined);
    let bTerminated = false;
    const trapping = await system.spawn(Probe, { trap: true, onTerminate: () => (bTerminated = true) });
    await call(b, { type: 'link', ref: a });
    await call(trapping, { type: 'link', ref: a });
    inbox.link(b);
    cast(a, { type: 'stop', reason });
    t.is(await exitReasonOf(system, a), reason);
    t.false(system.isAlive(b));
    t.is(system.getStatus(b).exitReason, reason, 'same reason, same value');
    // b's own links see b's exit with that reason, too.
    t.deepEqual(await inbox.receive(isExit), { type: 'EXIT', from: b, reason });
    // A trapping link (not the parent) gets the message and lives on.
    t.deepEqual(await call(trapping, { type: 'infos' }), [{ type: 'EXIT', from: a, reason }]);
    t.false(bTerminated);
    await system.shutdown();
  });
}

test('exit signals sent with system.exit: an abnormal reason kills a non-trapping actor without running terminate', async (t) => {
  const { system } = capturingSystem();
  const terminated: unknown[] = [];
  const a = await system.spawn(Probe, { onTerminate: (r) => terminated.push(r) });
  system.exit(a, 'shutdown');
  t.false(system.isAlive(a), 'dead at once');
  t.is(system.getStatus(a).exitReason, 'shutdown');
  t.deepEqual(terminated, [], 'terminate runs only for a trapping actor (and then only for its parent)');
  await system.shutdown();
});

// ------------------------------------------------------------------ trapping

test('trapping exits with inbox.trapExit(true): EXIT {from, reason} arrives instead of death', async (t) => {
  const { system } = capturingSystem();
  const inbox = await openInbox(system);
  inbox.trapExit(true);
  t.true(system.getStatus(inbox.ref).trapExit);
  const a = await system.spawn(Probe, undefined);
  inbox.link(a);
  const reason = new Error('x');
  system.exit(a, reason);
  t.deepEqual(await inbox.receive(isExit), { type: 'EXIT', from: a, reason });
  t.true(system.isAlive(inbox.ref));
  await system.shutdown();
});

test('trapping exits with the trapExit spawn option', async (t) => {
  const { system } = capturingSystem();
  const trapping = await system.spawn(Probe, undefined, { trapExit: true });
  t.true(system.getStatus(trapping).trapExit);
  const a = await system.spawn(Probe, undefined);
  await call(trapping, { type: 'link', ref: a });
  cast(a, { type: 'crash', error: 'bad' });
  await exitReasonOf(system, a);
  t.true(system.isAlive(trapping));
  t.deepEqual(await call(trapping, { type: 'infos' }), [{ type: 'EXIT', from: a, reason: 'bad' }]);
  await system.shutdown();
});

test('trapping exits with this.trapExit(true), and turning it off again restores default handling', async (t) => {
  const { system } = capturingSystem();
  const p = await system.spawn(Probe, undefined);
  t.false(system.getStatus(p).trapExit);
  await call(p, { type: 'trap', on: true });
  t.true(system.getStatus(p).trapExit);
  const a = await system.spawn(Probe, undefined);
  await call(p, { type: 'link', ref: a });
  system.exit(a, 'bad');
  t.deepEqual(await call(p, { type: 'infos' }), [{ type: 'EXIT', from: a, reason: 'bad' }]);

  await call(p, { type: 'trap', on: false });
  t.false(system.getStatus(p).trapExit);
  const b = await system.spawn(Probe, undefined);
  await call(p, { type: 'link', ref: b });
  system.exit(b, 'worse');
  t.false(system.isAlive(p));
  t.is(system.getStatus(p).exitReason, 'worse');
  await system.shutdown();
});

// ------------------------------------------------------------------ kill

test("exit(ref, 'kill') cannot be trapped: the victim exits with 'killed' and terminate does not run", async (t) => {
  const { system } = capturingSystem();
  const terminated: unknown[] = [];
  const victim = await system.spawn(Probe, { onTerminate: (r) => terminated.push(r) }, { trapExit: true });
  system.exit(victim, 'kill');
  t.false(system.isAlive(victim));
  t.is(system.getStatus(victim).status, 'dead');
  t.is(system.getStatus(victim).exitReason, 'killed');
  t.deepEqual(terminated, []);
  await system.shutdown();
});

test("the links of a killed actor see 'killed': a trapping link gets it as a message, a non-trapping link dies with 'killed'", async (t) => {
  const { system } = capturingSystem();
  const inbox = await openInbox(system);
  inbox.trapExit(true);
  const victim = await system.spawn(Probe, undefined, { trapExit: true });
  const bystander = await system.spawn(Probe, undefined);
  const trapping = await system.spawn(Probe, { trap: true });
  inbox.link(victim);
  await call(bystander, { type: 'link', ref: victim });
  await call(trapping, { type: 'link', ref: victim });
  // Killed from inside another actor this time.
  const killer = await system.spawn(Probe, undefined);
  cast(killer, { type: 'exit', ref: victim, reason: 'kill' });
  t.deepEqual(await inbox.receive(isExit), { type: 'EXIT', from: victim, reason: 'killed' });
  t.false(system.isAlive(bystander));
  t.is(system.getStatus(bystander).exitReason, 'killed');
  t.deepEqual(await call(trapping, { type: 'infos' }), [{ type: 'EXIT', from: victim, reason: 'killed' }]);
  t.true(system.isAlive(killer), 'the killer is not linked and lives');
  await system.shutdown();
});

// ------------------------------------------------------------------ normal

test("exit(ref, 'normal') is ignored by a non-trapping actor and arrives as EXIT at a trapping one", async (t) => {
  const { system } = capturingSystem();
  const plain = await system.spawn(Probe, undefined);
  system.exit(plain, 'normal');
  t.true(system.isAlive(plain));
  t.deepEqual(await call(plain, { type: 'infos' }), [], 'and it keeps serving');

  const trapping = await system.spawn(Probe, { trap: true });
  system.exit(trapping, 'normal');
  t.deepEqual(await call(trapping, { type: 'infos' }), [{ type: 'EXIT', from: undefined, reason: 'normal' }], 'from outside any actor: from is undefined');

  const inbox = await openInbox(system);
  inbox.exit(trapping, 'normal');
  const infos = await call(trapping, { type: 'infos' });
  t.deepEqual(infos[1], { type: 'EXIT', from: inbox.ref, reason: 'normal' }, 'from an actor: from is the sender');
  t.true(system.isAlive(trapping));
  await system.shutdown();
});

// ------------------------------------------------------------------ unlink

test('unlink stops propagation, in both directions', async (t) => {
  const { system } = capturingSystem();
  const inbox = await openInbox(system);
  inbox.trapExit(true);
  const a = await system.spawn(Probe, undefined);
  const b = await system.spawn(Probe, undefined);
  inbox.link(a);
  await call(b, { type: 'link', ref: a });
  t.is(system.getStatus(a).links.length, 2);
  inbox.unlink(a);
  await call(b, { type: 'unlink', ref: a });
  t.deepEqual(system.getStatus(a).links, [], 'unlinking from one side removes both sides');
  t.deepEqual(system.getStatus(b).links, []);

  cast(a, { type: 'crash', error: new Error('boom') });
  await exitReasonOf(system, a);
  t.true(system.isAlive(b));
  const pending = await syncInbox(system, inbox);
  t.deepEqual(pending.filter((m) => isExit(m as { type?: unknown })), [], 'no EXIT reached the inbox');
  await system.shutdown();
});

test('an unlinked actor does not take its former link down when it dies', async (t) => {
  const { system } = capturingSystem();
  const a = await system.spawn(Probe, undefined);
  const b = await system.spawn(Probe, undefined);
  await call(a, { type: 'link', ref: b });
  await call(b, { type: 'unlink', ref: a });
  system.exit(b, 'bad');
  t.true(system.isAlive(a));
  await system.shutdown();
});

// ------------------------------------------------------------------ linking to a dead actor

test('linking to a dead actor: a trapping actor gets EXIT noproc, a non-trapping one gets NoProcError', async (t) => {
  const { system } = capturingSystem();
  const dead = await system.spawn(Probe, undefined);
  await system.stop(dead);
  const inbox = await openInbox(system);

  const err = t.throws(() => inbox.link(dead));
  t.true(err instanceof NoProcError);
  t.is((err as NoProcError).code, 'noproc');
  t.true(system.isAlive(inbox.ref), 'the error is thrown to the caller; nobody is killed');

  inbox.trapExit(true);
  t.notThrows(() => inbox.link(dead));
  t.deepEqual(await inbox.receive(isExit), { type: 'EXIT', from: dead, reason: 'noproc' });
  t.deepEqual(system.getStatus(inbox.ref).links, []);

  // From a behaviour: the NoProcError is thrown inside the handler, which crashes it.
  const p = await system.spawn(Probe, undefined);
  const callErr = await t.throwsAsync(call(p, { type: 'link', ref: dead }));
  t.true(callErr instanceof CallExitError);
  t.true((callErr as CallExitError).reason instanceof NoProcError);
  t.false(system.isAlive(p));
  await system.shutdown();
});

// ------------------------------------------------------------------ long chains

test('a chain of 10,000 linked actors dies without a stack overflow', async (t) => {
  const { system } = capturingSystem();
  const n = 10_000;
  const chain: ActorRef<ProbeProtocol>[] = [];
  for (let i = 0; i < n; i++) chain.push(await system.spawn(Probe, undefined));
  for (let i = 0; i + 1 < n; i++) await call(chain[i]!, { type: 'link', ref: chain[i + 1]! });
  const inbox = await openInbox(system);
  inbox.trapExit(true);
  inbox.link(chain[n - 1]!);
  t.is(system.size, n + 1);

  const boom = new Error('head crashed');
  cast(chain[0]!, { type: 'crash', error: boom });
  const exit = await inbox.receive<ExitMessage>(isExit);
  t.is(exit.from, chain[n - 1]);
  t.is(exit.reason, boom);
  t.true(chain.every((r) => !system.isAlive(r)));
  t.true(chain.every((r) => system.getStatus(r).exitReason === boom));
  t.is(system.size, 1, 'only the inbox is left');
  await system.shutdown();
});

// ------------------------------------------------------------------ the parent rule

test('a trapping gen_server whose parent exits runs terminate and exits with the parent reason (parent: an inbox)', async (t) => {
  const { system } = capturingSystem();
  const inbox = await openInbox(system);
  const terminated: unknown[] = [];
  const infos: unknown[] = [];
  const child = await inbox.spawnLink(Probe, { trap: true, onTerminate: (r) => terminated.push(r), onInfo: (m) => infos.push(m) });
  t.is(system.getStatus(child).parent, inbox.ref.id);
  const down = exitReasonOf(system, child);
  await inbox.close('shutdown');
  t.is(await down, 'shutdown');
  t.deepEqual(terminated, ['shutdown']);
  t.deepEqual(infos, [], 'the parent EXIT is handled by the gen_server itself, not passed to handleInfo');
  await system.shutdown();
});

test('a trapping gen_server whose parent crashes terminates with the crash reason (parent: a behaviour using spawnLink)', async (t) => {
  const { system } = capturingSystem();
  const parent = await system.spawn(Probe, undefined);
  const terminated: unknown[] = [];
  const childArg: ProbeArg = { trap: true, onTerminate: (r) => terminated.push(r) };
  const child = await call(parent, { type: 'spawnLink', arg: childArg });
  t.is(system.getStatus(child).parent, parent.id);
  const down = exitReasonOf(system, child);
  const boom = new Error('parent crashed');
  cast(parent, { type: 'crash', error: boom });
  t.is(await down, boom);
  t.deepEqual(terminated, [boom]);
  await system.shutdown();
});

test('a trapping gen_server stops even when its parent exits normally; a non-trapping child ignores it', async (t) => {
  const { system } = capturingSystem();
  const parent = await system.spawn(Probe, undefined);
  const terminated: unknown[] = [];
  const trapping = await call(parent, { type: 'spawnLink', arg: { trap: true, onTerminate: (r) => terminated.push(r) } });
  const plain = await call(parent, { type: 'spawnLink', arg: {} });
  const down = exitReasonOf(system, trapping);
  cast(parent, { type: 'stop', reason: 'normal' });
  t.is(await down, 'normal');
  t.deepEqual(terminated, ['normal']);
  t.true(system.isAlive(plain));
  await system.shutdown();
});

test('a trapping gen_server gets EXIT messages from links other than its parent, and lives on', async (t) => {
  const { system } = capturingSystem();
  const inbox = await openInbox(system);
  const terminated: unknown[] = [];
  const child = await inbox.spawnLink(Probe, { trap: true, onTerminate: (r) => terminated.push(r) });
  const other = await system.spawn(Probe, undefined);
  await call(child, { type: 'link', ref: other });
  system.exit(other, 'bad');
  t.deepEqual(await call(child, { type: 'infos' }), [{ type: 'EXIT', from: other, reason: 'bad' }]);
  // An exit signal sent by the parent counts as the parent's (that is how supervisors stop children).
  const down = exitReasonOf(system, child);
  inbox.exit(child, 'shutdown');
  t.is(await down, 'shutdown');
  t.deepEqual(terminated, ['shutdown']);
  await system.shutdown();
});

// ------------------------------------------------------------------ kills during async handlers

interface HolderProtocol {
  call: Call<'hold', string, { started: () => void; until: Promise<void> }> | Call<'get', string>;
  cast: { type: 'set'; value: string } | { type: 'hold'; started: () => void; until: Promise<void> };
}

interface HolderArg {
  readonly terminated: unknown[];
  /** What the held handler does after its await. */
  readonly after: 'reply' | 'stop' | 'throw' | 'continue';
}

class Holder extends GenServer<HolderProtocol, string, HolderArg> {
  arg!: HolderArg;

  override init(arg: HolderArg): void {
    this.arg = arg;
    this.state = 'initial';
  }

  override handleCall(req: HolderProtocol['call']): string | Promise<string> {
    if (req.type === 'get') return this.state;
    return this.hold(req.started, req.until);
  }

  override handleCast(msg: HolderProtocol['cast']): void | Promise<void> {
    if (msg.type === 'set') {
      this.state = msg.value;
      return;
    }
    return this.hold(msg.started, msg.until).then(() => undefined);
  }

  private async hold(started: () => void, until: Promise<void>): Promise<string> {
    this.state = 'holding';
    started();
    await until;
    this.state = 'changed after the await';
    if (this.arg.after === 'stop') this.stop('normal');
    if (this.arg.after === 'continue') this.continue('after the await');
    if (this.arg.after === 'throw') throw new Error('thrown after the await');
    return 'reply after the await';
  }

  override handleContinue(arg: unknown): void {
    this.arg.terminated.push(`continued: ${String(arg)}`);
  }

  override terminate(reason: ExitReason): void {
    this.arg.terminated.push(reason);
  }
}

test('an actor killed while its async call handler is pending is dead at once; its result, queued calls and mailbox are dropped', async (t) => {
  const { system } = capturingSystem();
  const terminated: unknown[] = [];
  const ref = await system.spawn(Holder, { terminated, after: 'stop' });
  const inbox = await openInbox(system);
  inbox.trapExit(true);
  inbox.link(ref);
  const down = new Promise<{ reason: unknown }>((resolve) => system.monitor(ref, resolve));

  const started = gate();
  const release = gate();
  const held = call(ref, { type: 'hold', started: () => started.open(), until: release.promise });
  await started.promise;
  const queued = call(ref, { type: 'get' });
  cast(ref, { type: 'set', value: 'queued cast' });
  t.is(system.getStatus(ref).status, 'running');
  t.is(system.getStatus(ref).mailboxLength, 2);

  system.exit(ref, 'kill');
  // Dead at once, before the handler settles.
  t.false(system.isAlive(ref));
  const status = system.getStatus(ref);
  t.is(status.status, 'dead');
  t.is(status.exitReason, 'killed');
  t.is(status.mailboxLength, 0, 'the mailbox is dropped');

  const heldErr = await t.throwsAsync(held);
  t.true(heldErr instanceof CallExitError);
  t.is((heldErr as CallExitError).reason, 'killed');
  const queuedErr = await t.throwsAsync(queued);
  t.true(queuedErr instanceof CallExitError);
  t.is((queuedErr as CallExitError).reason, 'killed');
  t.deepEqual(await inbox.receive(isExit), { type: 'EXIT', from: ref, reason: 'killed' });
  t.is((await down).reason, 'killed');

  // Now let the handler finish: its state change, reply and stop request go nowhere.
  release.open();
  await settle();
  t.is(system.getStatus(ref).status, 'dead');
  t.is(system.getStatus(ref).exitReason, 'killed');
  t.is(system.getStatus(ref).messagesHandled, 1, 'the queued messages were never handled');
  const stateErr = await t.throwsAsync(system.getState(ref));
  t.true(stateErr instanceof NoProcError, 'the state changed after the await is never visible');
  t.deepEqual(terminated, [], 'neither the kill nor the late stop request ran terminate');
  const pending = await syncInbox(system, inbox);
  t.deepEqual(pending, [], 'no second EXIT');
  await system.shutdown();
});

test('an actor taken down by a link while its async cast handler is pending is dead at once, and a late throw changes nothing', async (t) => {
  const { system, logs } = capturingSystem();
  const terminated: unknown[] = [];
  const ref = await system.spawn(Holder, { terminated, after: 'throw' });
  const partner = await system.spawn(Probe, undefined);
  await call(partner, { type: 'link', ref });
  const watcher = await system.spawn(Probe, undefined);
  const mref = await call(watcher, { type: 'monitor', ref });

  const started = gate();
  const release = gate();
  cast(ref, { type: 'hold', started: () => started.open(), until: release.promise });
  await started.promise;
  const queued = call(ref, { type: 'get' }, { timeout: Infinity });

  const boom = new Error('partner crashed');
  cast(partner, { type: 'crash', error: boom });
  const reason = await exitReasonOf(system, ref);
  t.is(reason, boom);
  t.false(system.isAlive(ref));
  const queuedErr = await t.throwsAsync(queued);
  t.true(queuedErr instanceof CallExitError);
  t.is((queuedErr as CallExitError).reason, boom);
  t.deepEqual(await call(watcher, { type: 'infos' }), [{ type: 'DOWN', ref: mref, actor: ref, reason: boom }]);

  release.open();
  await settle();
  t.is(system.getStatus(ref).exitReason, boom, 'the late throw did not replace the exit reason');
  t.deepEqual(terminated, []);
  const errors = (await syncLogs(system, logs)).filter((l) => l.level === 'error' && l['actor'] === ref.id);
  t.deepEqual(errors, [], 'no crash report for the dead actor’s late throw');
  await system.shutdown();
});

test('a continue requested by a handler after its actor was killed never runs, and nothing is logged', async (t) => {
  const { system, logs } = capturingSystem();
  const record: unknown[] = [];
  const ref = await system.spawn(Holder, { terminated: record, after: 'continue' });
  const started = gate();
  const release = gate();
  const held = call(ref, { type: 'hold', started: () => started.open(), until: release.promise });
  await started.promise;
  system.exit(ref, 'kill');
  await t.throwsAsync(held, { instanceOf: CallExitError });
  release.open();
  await settle();
  t.deepEqual(record, [], 'neither handleContinue nor terminate ran');
  t.deepEqual((await syncLogs(system, logs)).filter((l) => l.level === 'error'), []);
  t.is(system.getStatus(ref).exitReason, 'killed');
  await system.shutdown();
});
