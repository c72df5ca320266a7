/**
 * Core's extension point for processes on other nodes: a RemoteActorRef subclass that
 * records what core asks of it (the far side is this test), and the remote API functions
 * that deliver what arrived. The rules checked are OTP's, as for local refs.
 */
import test from 'ava';
import {
  acceptRemoteLink,
  acceptRemoteUnlink,
  call,
  cast,
  deliverRemoteDown,
  deliverRemoteExit,
  exit,
  isLocalAlive,
  LocalActorRef,
  monitorForRemote,
  MonitorRef,
  RemoteActorRef,
  send,
  type ActorRef,
} from '../../src/index.js';
import { capturingSystem, eventually, exitReasonOf } from '../support/helpers.js';
import { Probe } from '../support/actors.js';
import { RecordingRef } from '../support/RecordingRef.js';

test('call, cast, send and exit on a remote ref go to the ref; the call resolves with what it answers', async (t) => {
  const { system } = capturingSystem('remote');
  const far = new RecordingRef('r1');
  t.deepEqual(await call(far as ActorRef, { type: 'get' } as never, { timeout: 1234 }), { echoed: { type: 'get' } });
  cast(far as ActorRef, { type: 'inc' } as never);
  send(far as ActorRef, { type: 'tick' } as never);
  exit(far as ActorRef, 'shutdown');
  system.exit(far as ActorRef, 'kill');
  t.deepEqual(far.ops, [
    ['call', null, { type: 'get' }, 1234],
    ['cast', { type: 'inc' }],
    ['send', { type: 'tick' }],
    ['exit', null, 'shutdown'],
    ['exit', null, 'kill'],
  ]);
  t.throws(() => exit(far as ActorRef, undefined as never), { code: 'invalid_option' }, 'a missing reason is misuse for remote refs too');
  t.is(String(far), 'ActorRef<Worker@far#r1>');
  await system.shutdown();
});

test('a link to a remote ref is recorded once on the local side; the actor\'s exit sends the link exit', async (t) => {
  const { system } = capturingSystem('remote');
  const far = new RecordingRef('r2');
  const a = await system.spawn(Probe, undefined);
  await system.call(a, { type: 'link', ref: far });
  await system.call(a, { type: 'link', ref: far });
  t.deepEqual(far.kinds(), ['link'], 'linking twice is one link (OTP)');
  t.is(far.ops[0]![1], a);
  t.deepEqual(system.getStatus(a).links, ['r2']);
  system.cast(a, { type: 'stop', reason: 'shutdown' });
  await exitReasonOf(system, a);
  t.deepEqual(far.ops[1], ['linkedExit', a, 'shutdown']);
  await system.shutdown();
});

test('noconnection on a link: a non-trapping actor exits with it, a trapping one gets EXIT from the remote ref', async (t) => {
  const { system } = capturingSystem('remote');
  const far = new RecordingRef('r3');
  const plain = await system.spawn(Probe, undefined);
  const trapping = await system.spawn(Probe, { trap: true });
  await system.call(plain, { type: 'link', ref: far });
  await system.call(trapping, { type: 'link', ref: far });
  deliverRemoteExit(plain, far, 'noconnection', { linked: true });
  deliverRemoteExit(trapping, far, 'noconnection', { linked: true });
  t.is(await exitReasonOf(system, plain), 'noconnection');
  t.deepEqual(await system.call(trapping, { type: 'infos' }), [{ type: 'EXIT', from: far, reason: 'noconnection' }]);
  t.deepEqual(system.getStatus(trapping).links, [], 'the exit ended the link');
  deliverRemoteExit(trapping, far, 'noconnection', { linked: true });
  t.is((await system.call(trapping, { type: 'infos' })).length, 1, 'a second link exit for a link that is gone is dropped');
  await system.shutdown();
});

test('a remote parent (acceptRemoteLink with parent: true): its exit stops a trapping actor, as a local parent does', async (t) => {
  const { system } = capturingSystem('remote');
  const sup = new RecordingRef('remote-sup');
  const other = new RecordingRef('other');
  const child = await system.spawn(Probe, { trap: true });
  t.true(acceptRemoteLink(child, sup, { parent: true }));
  t.true(acceptRemoteLink(child, other));
  t.is(system.getStatus(child).parent, 'remote-sup');
  deliverRemoteExit(child, other, 'shutdown', { linked: true });
  t.deepEqual(await system.call(child, { type: 'infos' }), [{ type: 'EXIT', from: other, reason: 'shutdown' }], 'any other linked process is a message');
  deliverRemoteExit(child, sup, 'shutdown', { linked: false });
  t.is(await exitReasonOf(system, child), 'shutdown', 'the parent stopped it, though it traps exits');
  t.throws(() => acceptRemoteLink(child, sup, { parent: 'yes' } as never), { message: /parent/ });
  await system.shutdown();
});

test('unlink racing an exit: after unlink, the link exit from the far side is dropped; exit(ref, kill) from the far side kills', async (t) => {
  const { system } = capturingSystem('remote');
  const far = new RecordingRef('r4');
  const a = await system.spawn(Probe, undefined);
  await system.call(a, { type: 'link', ref: far });
  await system.call(a, { type: 'unlink', ref: far });
  t.deepEqual(far.kinds(), ['link', 'unlink']);
  deliverRemoteExit(a, far, 'boom', { linked: true });
  t.true(isLocalAlive(a), 'the crossed link exit did nothing');
  const trapping = await system.spawn(Probe, { trap: true });
  deliverRemoteExit(trapping, far, 'kill', { linked: false });
  t.is(await exitReasonOf(system, trapping), 'killed', 'kill sent with exit() cannot be trapped');
  await system.shutdown();
});

test('a remote process links to a local actor: its exit is sent to the far side; unlink before stops it; a dead actor refuses', async (t) => {
  const { system } = capturingSystem('remote');
  const far = new RecordingRef('r5');
  const a = await system.spawn(Probe, undefined);
  const b = await system.spawn(Probe, undefined);
  t.true(acceptRemoteLink(a, far));
  t.true(acceptRemoteLink(b, far));
  acceptRemoteUnlink(b, far);
  system.cast(a, { type: 'crash', error: new Error('boom') });
  system.cast(b, { type: 'stop', reason: 'normal' });
  await exitReasonOf(system, a);
  await exitReasonOf(system, b);
  t.deepEqual(far.kinds(), ['linkedExit']);
  t.is(far.ops[0]![1], a);
  t.false(acceptRemoteLink(a, far), 'a dead actor cannot be linked: the caller answers noproc');
  await system.shutdown();
});

test('a monitor on a remote ref: DOWN once with the remote ref as actor; demonitor tells the far side; the holder\'s exit too', async (t) => {
  const { system } = capturingSystem('remote');
  const far = new RecordingRef('r6');
  const a = await system.spawn(Probe, undefined);
  const m1 = await system.call(a, { type: 'monitor', ref: far });
  t.deepEqual(far.ops, [['monitor', m1]]);
  t.deepEqual(system.getStatus(a).monitors, ['r6']);
  t.true(deliverRemoteDown(m1, 'noconnection'));
  t.false(deliverRemoteDown(m1, 'noconnection'), 'a DOWN comes once');
  t.deepEqual(await system.call(a, { type: 'infos' }), [{ type: 'DOWN', ref: m1, actor: far, reason: 'noconnection' }]);
  const m2 = await system.call(a, { type: 'monitor', ref: far });
  t.true(await system.call(a, { type: 'demonitor', monitor: m2, flush: false }));
  t.deepEqual(far.ops.at(-1), ['demonitor', m2]);
  t.false(deliverRemoteDown(m2, 'normal'), 'a removed monitor gets nothing');
  const m3 = await system.call(a, { type: 'monitor', ref: far });
  system.cast(a, { type: 'stop', reason: 'normal' });
  await exitReasonOf(system, a);
  t.deepEqual(far.ops.at(-1), ['demonitor', m3], 'the holder exited: the far side forgets the monitor');
  await system.shutdown();
});

test('system.monitor on a remote ref calls back once', async (t) => {
  const { system } = capturingSystem('remote');
  const far = new RecordingRef('r7');
  const downs: unknown[] = [];
  const mref = system.monitor(far as ActorRef, (d) => downs.push(d));
  deliverRemoteDown(mref, 'noproc');
  t.true(await eventually(() => downs.length === 1, 2000));
  t.deepEqual(downs, [{ ref: mref, actor: far, reason: 'noproc' }]);
  const m2 = system.monitor(far as ActorRef, () => downs.push('late'));
  t.true(system.demonitor(m2));
  t.false(deliverRemoteDown(m2, 'x'));
  await system.shutdown();
});

test('monitorForRemote: the callback runs inside the exit with its reason, at once with noproc for a dead actor', async (t) => {
  const { system } = capturingSystem('remote');
  const a = await system.spawn(Probe, undefined);
  const reasons: unknown[] = [];
  monitorForRemote(a, 'node-b', (r) => reasons.push(r));
  t.deepEqual(system.getStatus(a).monitoredBy, ['node-b']);
  system.cast(a, { type: 'stop', reason: 'shutdown' });
  await exitReasonOf(system, a);
  t.deepEqual(reasons, ['shutdown']);
  monitorForRemote(a, 'node-b', (r) => reasons.push(r));
  t.deepEqual(reasons, ['shutdown', 'noproc']);
  await system.shutdown();
});

test('LocalActorRef is the class of spawned refs; remote refs and junk are not local', async (t) => {
  const { system } = capturingSystem('remote');
  const a = await system.spawn(Probe, undefined);
  t.true(a instanceof LocalActorRef);
  t.false(new RecordingRef('x') instanceof LocalActorRef);
  t.true(isLocalAlive(a));
  t.false(isLocalAlive(new RecordingRef('x')));
  t.false(isLocalAlive({ id: 'x' }));
  t.throws(() => deliverRemoteExit(a, { id: 'x' } as never, 'x', { linked: true }), { code: 'invalid_option' });
  await system.shutdown();
});

test('a system.monitor callback on a remote ref that throws is logged, as for a local ref, not thrown into the process', async (t) => {
  const { system, logs } = capturingSystem('remote');
  const far = new RecordingRef('r8');
  const mref = system.monitor(far as ActorRef, () => {
    throw new Error('callback bug');
  });
  t.true(deliverRemoteDown(mref, 'noconnection'));
  t.true(await eventually(() => logs.some((l) => l.message === 'monitor callback threw'), 2000));
  t.like(logs.find((l) => l.message === 'monitor callback threw'), { report: 'monitor_callback_error', actor: 'r8' });
  await system.shutdown();
});
