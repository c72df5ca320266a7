/**
 * Monitors (reference semantics §1): one-way, stacking, DOWN delivered once, `noproc` for
 * a dead target, demonitor (with flush), external monitors and spawnMonitor.
 */
import test from 'ava';
import { call, cast, MonitorRef, openInbox, type DownMessage } from '../../src/index.js';
import { Counter, Probe } from '../support/actors.js';
import { capturingSystem, exitReasonOf, settle, syncInbox } from '../support/helpers.js';

const isDown = (m: { type?: unknown }): boolean => m.type === 'DOWN';

test('a monitor delivers DOWN {ref, actor, reason} exactly once, and is one-way', async (t) => {
  const { system } = capturingSystem();
  const inbox = await openInbox(system);
  const target = await system.spawn(Probe, undefined);
  const mref = inbox.monitor(target);
  t.true(mref instanceof MonitorRef);
  t.deepEqual(system.getStatus(inbox.ref).monitors, [target.id]);
  t.deepEqual(system.getStatus(target).monitoredBy, [inbox.ref.id]);
  t.deepEqual(system.getStatus(target).links, [], 'a monitor is not a link');

  const boom = new Error('boom');
  cast(target, { type: 'crash', error: boom });
  const down = await inbox.receive<DownMessage>(isDown);
  t.deepEqual(down, { type: 'DOWN', ref: mref, actor: target, reason: boom });
  t.is(down.ref, mref);
  t.is(down.reason, boom);
  t.true(system.isAlive(inbox.ref), 'the watcher does not die with the target');
  t.deepEqual(system.getStatus(inbox.ref).monitors, [], 'a fired monitor is gone');
  const rest = await syncInbox(system, inbox);
  t.deepEqual(rest, [], 'only one DOWN');
  t.false(inbox.demonitor(mref), 'the monitor is no longer active');
  await system.shutdown();
});

test('a monitoring actor gets DOWN for a normal exit too, in handleInfo', async (t) => {
  const { system } = capturingSystem();
  const watcher = await system.spawn(Probe, undefined);
  const target = await system.spawn(Probe, undefined);
  const mref = await call(watcher, { type: 'monitor', ref: target });
  await system.stop(target, 'normal');
  t.deepEqual(await call(watcher, { type: 'infos' }), [{ type: 'DOWN', ref: mref, actor: target, reason: 'normal' }]);
  // The target dying does not affect the watcher, and the watcher dying does not affect a target.
  const other = await system.spawn(Probe, undefined);
  await call(watcher, { type: 'monitor', ref: other });
  await system.stop(watcher, 'shutdown');
  t.true(system.isAlive(other));
  t.deepEqual(system.getStatus(other).monitoredBy, [], 'the watcher’s monitors are removed when it dies');
  await system.shutdown();
});

test('monitors stack: two monitors on one actor give two DOWNs with distinct refs', async (t) => {
  const { system } = capturingSystem();
  const inbox = await openInbox(system);
  const target = await system.spawn(Probe, undefined);
  const m1 = inbox.monitor(target);
  const m2 = inbox.monitor(target);
  t.not(m1, m2);
  t.not(m1.id, m2.id);
  t.deepEqual(system.getStatus(target).monitoredBy, [inbox.ref.id, inbox.ref.id]);
  system.exit(target, 'bad');
  const d1 = await inbox.receive<DownMessage>(isDown);
  const d2 = await inbox.receive<DownMessage>(isDown);
  t.deepEqual(new Set([d1.ref, d2.ref]), new Set([m1, m2]));
  for (const d of [d1, d2]) t.deepEqual(d, { type: 'DOWN', ref: d.ref, actor: target, reason: 'bad' });
  t.deepEqual(await syncInbox(system, inbox), []);
  await system.shutdown();
});

test("monitoring a dead actor delivers DOWN with 'noproc' at once", async (t) => {
  const { system } = capturingSystem();
  const target = await system.spawn(Probe, undefined);
  await system.stop(target, 'shutdown');

  const inbox = await openInbox(system);
  const mref = inbox.monitor(target);
  t.is(system.getStatus(inbox.ref).mailboxLength, 1, 'queued synchronously, by the monitor call itself');
  t.deepEqual(await inbox.receive(isDown), { type: 'DOWN', ref: mref, actor: target, reason: 'noproc' });
  t.deepEqual(system.getStatus(inbox.ref).monitors, []);

  const watcher = await system.spawn(Probe, undefined);
  const m2 = await call(watcher, { type: 'monitor', ref: target });
  t.deepEqual(await call(watcher, { type: 'infos' }), [{ type: 'DOWN', ref: m2, actor: target, reason: 'noproc' }]);

  const external = await new Promise<{ ref: MonitorRef; reason: unknown }>((resolve) => {
    const m3 = system.monitor(target, resolve);
    t.true(m3 instanceof MonitorRef);
  });
  t.is(external.reason, 'noproc');
  await system.shutdown();
});

test('demonitor stops the monitor: no DOWN arrives', async (t) => {
  const { system } = capturingSystem();
  const inbox = await openInbox(system);
  const target = await system.spawn(Probe, undefined);
  const kept = inbox.monitor(target);
  const removed = inbox.monitor(target);
  t.true(inbox.demonitor(removed), 'true while active');
  t.false(inbox.demonitor(removed), 'false the second time');
  t.deepEqual(system.getStatus(target).monitoredBy, [inbox.ref.id], 'one monitor left');
  system.exit(target, 'bad');
  const down = await inbox.receive<DownMessage>(isDown);
  t.is(down.ref, kept);
  t.deepEqual(await syncInbox(system, inbox), [], 'no DOWN for the removed monitor');

  const watcher = await system.spawn(Probe, undefined);
  const t2 = await system.spawn(Probe, undefined);
  const m = await call(watcher, { type: 'monitor', ref: t2 });
  t.true(await call(watcher, { type: 'demonitor', monitor: m, flush: false }));
  t.deepEqual(system.getStatus(watcher).monitors, []);
  await system.stop(t2);
  t.deepEqual(await call(watcher, { type: 'infos' }), []);
  await system.shutdown();
});

test('demonitor with {flush: true} inside an actor drops a DOWN already in its mailbox', async (t) => {
  const { system } = capturingSystem();
  const watcher = await system.spawn(Probe, undefined);
  const target = await system.spawn(Probe, undefined);
  const other = await system.spawn(Probe, undefined);
  const mref = await call(watcher, { type: 'monitor', ref: target });
  const otherRef = await call(watcher, { type: 'monitor', ref: other });

  // Keep the watcher's mailbox queued: demonitor request first, then the DOWNs behind it.
  await system.suspend(watcher);
  cast(watcher, { type: 'demonitor', monitor: mref, flush: true });
  system.exit(target, 'bad');
  system.exit(other, 'bad');
  t.is(system.getStatus(watcher).mailboxLength, 3, 'both DOWNs are queued behind the demonitor');
  await system.resume(watcher);

  const infos = await call(watcher, { type: 'infos' });
  t.deepEqual(infos, [{ type: 'DOWN', ref: otherRef, actor: other, reason: 'bad' }], 'only the flushed DOWN is gone');
  await system.shutdown();
});

test('demonitor without flush leaves an already queued DOWN in place', async (t) => {
  const { system } = capturingSystem();
  const watcher = await system.spawn(Probe, undefined);
  const target = await system.spawn(Probe, undefined);
  const mref = await call(watcher, { type: 'monitor', ref: target });
  await system.suspend(watcher);
  cast(watcher, { type: 'demonitor', monitor: mref, flush: false });
  system.exit(target, 'bad');
  await system.resume(watcher);
  t.deepEqual(await call(watcher, { type: 'infos' }), [{ type: 'DOWN', ref: mref, actor: target, reason: 'bad' }]);
  await system.shutdown();
});

test('inbox.demonitor with {flush: true} drops a DOWN whether it is still queued or already received', async (t) => {
  const { system } = capturingSystem();
  const inbox = await openInbox(system);
  const a = await system.spawn(Probe, undefined);
  const b = await system.spawn(Probe, undefined);
  const ma = inbox.monitor(a);
  const mb = inbox.monitor(b);

  // Still in the inbox actor's mailbox.
  system.exit(a, 'bad');
  t.is(system.getStatus(inbox.ref).mailboxLength, 1);
  t.false(inbox.demonitor(ma, { flush: true }), 'already fired');
  t.is(system.getStatus(inbox.ref).mailboxLength, 0);

  // Already handled by the inbox actor, waiting in `pending`.
  system.exit(b, 'bad');
  const pending = await syncInbox(system, inbox);
  t.deepEqual(pending, [{ type: 'DOWN', ref: mb, actor: b, reason: 'bad' }]);
  inbox.demonitor(mb, { flush: true });
  t.deepEqual(inbox.pending, []);
  t.deepEqual(await syncInbox(system, inbox), []);
  await system.shutdown();
});

test('system.monitor: the callback runs once with {ref, actor, reason}; system.demonitor stops it', async (t) => {
  const { system } = capturingSystem();
  const target = await system.spawn(Counter, 0);
  const calls: { ref: MonitorRef; actor: unknown; reason: unknown }[] = [];
  const removedCalls: unknown[] = [];
  const mref = system.monitor(target, (d) => calls.push(d));
  const removed = system.monitor(target, (d) => removedCalls.push(d));
  t.deepEqual(system.getStatus(target).monitoredBy, ['external', 'external']);
  t.true(system.demonitor(removed));
  t.false(system.demonitor(removed));

  const last = system.monitor(target, () => {});
  cast(target, { type: 'boom' });
  await exitReasonOf(system, target);
  await settle();
  t.is(calls.length, 1);
  t.is(calls[0]!.ref, mref);
  t.is(calls[0]!.actor, target);
  t.true(calls[0]!.reason instanceof Error);
  t.is((calls[0]!.reason as Error).message, 'boom');
  t.deepEqual(removedCalls, []);
  t.false(system.demonitor(last), 'a fired monitor is inactive');
  await system.shutdown();
});

test('system.spawnMonitor starts an actor and monitors it from outside', async (t) => {
  const { system } = capturingSystem();
  const downs: { ref: MonitorRef; actor: unknown; reason: unknown }[] = [];
  const { ref, monitor } = await system.spawnMonitor(Counter, 3, (d) => downs.push(d));
  t.true(monitor instanceof MonitorRef);
  t.is(await call(ref, { type: 'get' }), 3);
  t.deepEqual(system.getStatus(ref).monitoredBy, ['external']);
  t.deepEqual(system.getStatus(ref).links, []);
  await system.stop(ref, 'shutdown');
  await settle();
  t.is(downs.length, 1);
  t.deepEqual(downs[0], { ref: monitor, actor: ref, reason: 'shutdown' });
  t.is(system.size, 0);
  await system.shutdown();
});

test('this.spawnMonitor inside a behaviour: the watcher gets DOWN with the returned monitor ref and is not linked', async (t) => {
  const { system } = capturingSystem();
  const watcher = await system.spawn(Probe, undefined);
  const { ref: child, monitor } = await call(watcher, { type: 'spawnMonitor', arg: {} });
  t.true(monitor instanceof MonitorRef);
  t.deepEqual(system.getStatus(watcher).monitors, [child.id]);
  t.deepEqual(system.getStatus(child).monitoredBy, [watcher.id]);
  t.deepEqual(system.getStatus(child).links, []);
  t.is(system.getStatus(child).parent, undefined, 'spawnMonitor does not make a parent link');

  const boom = new Error('child crashed');
  cast(child, { type: 'crash', error: boom });
  await exitReasonOf(system, child);
  t.true(system.isAlive(watcher), 'a crash of a monitored child does not take the watcher down');
  t.deepEqual(await call(watcher, { type: 'infos' }), [{ type: 'DOWN', ref: monitor, actor: child, reason: boom }]);
  await system.shutdown();
});
