/**
 * The junk probe: every public function of @arbor/core (each argument in turn) is called
 * with junk (undefined, null, 5, 'x', {}, [], a cyclic object, a function). Each call must
 * throw or reject an ArborError subclass (never a raw TypeError or RangeError, never a
 * hang: each probe is bounded by a timer race), or take the value as a documented valid
 * input. A second test checks the table covers every function the index exports.
 */
import test from 'ava';
import * as core from '../../src/index.js';
import {
  Agent,
  ArborError,
  GenServer,
  Registry,
  Task,
  TaskSupervisor,
  call,
  cast,
  checkTimeout,
  createLogger,
  createSystem,
  behaviourContext,
  currentActor,
  defaultSystem,
  describeName,
  exit,
  formatReason,
  isActorRef,
  isAlive,
  isNormalExit,
  isShutdownWith,
  isViaName,
  openInbox,
  send,
  shutdownWith,
  spawn,
  startApplication,
  via,
  type ActorRef,
  type ActorSystem,
  type Inbox,
  type RegistryHandle,
  type TaskSupervisorRef,
} from '../../src/index.js';
import { junkValues } from '@arbor/test-support';
import { capturingSystem } from '../support/helpers.js';

const JUNK: readonly [string, unknown][] = junkValues();
/** A ref of a process on another node whose far side does nothing: the other argument of the remote API probes. */
class SilentRemote extends core.RemoteActorRef {
  readonly id = 'far';
  readonly kind = 'Silent@far';
  call(): Promise<unknown> {
    return Promise.resolve(undefined);
  }
  cast(): void {}
  send(): void {}
  exit(): void {}
  link(): void {}
  unlink(): void {}
  linkedExit(): void {}
  monitor(): void {}
  demonitor(): void {}
}
const FAR = new SilentRemote();
/** A valid callback, where a probe needs one beside its junk argument. */
function junkFn(): void {}

/** Replies with what it is asked; ignores casts and infos. */
class Echo extends GenServer<{ call: any; cast: any; info: any }, undefined, unknown> {
  override handleCall(req: unknown): unknown {
    return req;
  }
  override handleCast(): void {}
  override handleInfo(): void {}
}

/** Hands its behaviour instance to the test: the `this` that Task.async, Agent.startLink and the context methods take. */
class Holder extends Echo {
  static last: Holder | undefined;
  override init(): void {
    Holder.last = this;
  }
}

interface Ctx {
  readonly system: ActorSystem;
  readonly ref: ActorRef;
  readonly owner: Holder;
  readonly inbox: Inbox;
  readonly registry: RegistryHandle<unknown, unknown>;
  readonly agent: core.AgentRef<number>;
  readonly tasks: TaskSupervisorRef;
  readonly task: Task<number>;
  /** A new actor for probes that change or stop their target. */
  fresh(): Promise<ActorRef>;
  freshOwner(): Promise<Holder>;
}

type Valid = (junk: unknown) => boolean;
const none: Valid = () => false;
const any: Valid = () => true;
const isUndefined: Valid = (j) => j === undefined;
const isFn: Valid = (j) => typeof j === 'function';
const isString: Valid = (j) => typeof j === 'string';
/** undefined or a plain object (unknown keys are ignored). */
const isOptions: Valid = (j) => j === undefined || (typeof j === 'object' && j !== null && !Array.isArray(j));
const isReason: Valid = (j) => j !== undefined;
const isNumber: Valid = (j) => typeof j === 'number';

/** One probe: `name` is the public function, `arg` the argument that gets the junk, `valid` the junk it documents as valid. */
interface Probe {
  readonly name: string;
  readonly arg: string;
  readonly run: (junk: any, c: Ctx) => unknown;
  readonly valid: Valid;
}
const p = (name: string, arg: string, valid: Valid, run: (junk: any, c: Ctx) => unknown): Probe => ({ name, arg, run, valid });

const get = { type: 'get' } as never;
/** Returned by a probe for junk that is a documented valid input it must not run (it would start a real application on the default system, or exit the process). */
const SKIP = Symbol('documented valid, not run');

const PROBES: readonly Probe[] = [
  // ---------------------------------------------------------------- top-level functions
  p('call', 'ref', none, (j) => call(j, get)),
  p('call', 'request', any, (j, c) => call(c.ref, j)),
  p('call', 'options', isOptions, (j, c) => call(c.ref, get, j)),
  p('cast', 'ref', none, (j) => cast(j, get)),
  p('cast', 'msg', any, (j, c) => cast(c.ref, j)),
  p('send', 'ref', none, (j) => send(j, get)),
  p('send', 'msg', any, (j, c) => send(c.ref, j)),
  p('exit', 'ref', none, (j) => exit(j, 'kill')),
  p('exit', 'reason', isReason, async (j, c) => exit(await c.fresh(), j)),
  p('isAlive', 'ref', none, (j) => isAlive(j)),
  p('openInbox', 'system', isUndefined, (j) => openInbox(j)),
  p('spawn', 'behaviour', none, (j) => spawn(j, undefined)),
  p('spawn', 'arg', any, (j) => spawn(Echo, j)),
  p('createSystem', 'options', isOptions, (j) => createSystem(j)),
  p('createSystem', 'options.name', (j) => j === undefined || j === 'x', (j) => createSystem({ name: j })),
  p('createSystem', 'options.logger', isUndefined, (j) => createSystem({ logger: j })),
  p('createSystem', 'options.scheduler', isOptions, (j) => createSystem({ scheduler: j })),
  p('createSystem', 'options.scheduler.sliceMs', (j) => j === undefined || j === 5, (j) => createSystem({ scheduler: { sliceMs: j } })),
  p('createSystem', 'options.scheduler.budget', (j) => j === undefined || j === 5, (j) => createSystem({ scheduler: { budget: j } })),
  p('defaultSystem', '(none)', any, () => defaultSystem()),
  p('currentActor', '(none)', any, () => currentActor()),
  p('behaviourContext', 'value', any, (j) => behaviourContext(j)),
  p('formatReason', 'reason', any, (j) => formatReason(j)),
  p('isNormalExit', 'reason', any, (j) => isNormalExit(j)),
  p('isShutdownWith', 'reason', any, (j) => isShutdownWith(j)),
  p('shutdownWith', 'detail', any, (j) => shutdownWith(j)),
  p('createLogger', 'level', isUndefined, (j) => createLogger(j)),
  p('createLogger', 'options', isOptions, (j) => createLogger('silent', j)),
  p('prettyFormat', '(none)', any, () => core.prettyFormat()),
  p('isActorRef', 'value', any, (j) => isActorRef(j)),
  p('badRef', 'value', any, (j) => core.badRef('probe', j)),
  p('checkRef', 'value', none, (j) => core.checkRef('probe', j)),
  p('isLocalAlive', 'ref', any, (j) => core.isLocalAlive(j)),
  p('acceptRemoteLink', 'local', none, (j) => core.acceptRemoteLink(j, FAR)),
  p('acceptRemoteLink', 'from', none, async (j, c) => core.acceptRemoteLink(await c.fresh(), j)),
  p('acceptRemoteUnlink', 'local', none, (j) => core.acceptRemoteUnlink(j, FAR)),
  p('acceptRemoteUnlink', 'from', none, (j, c) => core.acceptRemoteUnlink(c.ref, j)),
  p('deliverRemoteExit', 'local', none, (j) => core.deliverRemoteExit(j, FAR, 'x', { linked: true })),
  p('deliverRemoteExit', 'from', none, (j, c) => core.deliverRemoteExit(c.ref, j, 'x', { linked: true })),
  p('deliverRemoteExit', 'reason', any, (j, c) => core.deliverRemoteExit(c.ref, FAR, j, { linked: true })),
  p('deliverRemoteExit', 'options', none, (j, c) => core.deliverRemoteExit(c.ref, FAR, 'x', j)),
  p('deliverRemoteDown', 'mref', none, (j) => core.deliverRemoteDown(j, 'x')),
  p('deliverRemoteDown', 'reason', any, (j) => core.deliverRemoteDown(new core.MonitorRef(), j)),
  p('monitorForRemote', 'local', none, (j) => core.monitorForRemote(j, 'w', junkFn)),
  p('monitorForRemote', 'watcherId', (j) => j === 'x', (j, c) => core.monitorForRemote(c.ref, j, junkFn)),
  p('monitorForRemote', 'onDown', isFn, (j, c) => core.monitorForRemote(c.ref, 'w', j)),
  p('refExpected', 'or', (j) => j === undefined || j === 'x', (j) => core.refExpected(j)),
  p('checkTimeout', 'value', isNumber, (j) => checkTimeout('t', j)),
  p('checkKnownKeys', 'options', (j) => j === undefined || (typeof j === 'object' && j !== null && !Array.isArray(j) && Object.keys(j).length === 0), (j) => core.checkKnownKeys('probe', j, ['a'])),
  p('closestKey', 'known', Array.isArray, (j) => core.closestKey('abc', j)),
  p('closestKey', 'key', isString, (j) => core.closestKey(j, ['abc'])),
  p('describeName', 'name', isString, (j) => describeName(j)),
  p('describeName', 'name.key', any, (j, c) => describeName(c.registry.via(j))),
  p('isViaName', 'name', any, (j) => isViaName(j)),
  p('via', 'provider', none, (j) => via(j, 'k')),
  p('via', 'key', any, (j, c) => via(c.registry, j)),
  p('defineName', 'name', (j) => j === 'x', (j) => core.defineName(j)),
  p('startApplication', 'options', isOptions, (j, c) =>
    j === undefined ? SKIP : startApplication({ children: [] }, typeof j === 'object' && j !== null && !Array.isArray(j) ? { ...j, system: c.system, signals: false, exitProcess: false } : j).then((app) => app.stop()),
  ),
  p('startApplication', 'options.name', (j) => j === undefined || j === 'x', (j, c) =>
    startApplication({ children: [] }, { system: c.system, signals: false, exitProcess: false, name: j }).then((app) => app.stop()),
  ),
  p('startApplication', 'options.system', none, (j) =>
    j === undefined ? SKIP : startApplication({ children: [] }, { system: j, signals: false, exitProcess: false }).then((app) => app.stop()),
  ),
  p('startApplication', 'options.signals', (j) => j === undefined || (Array.isArray(j) && j.length === 0), (j, c) =>
    startApplication({ children: [] }, { system: c.system, signals: j, exitProcess: false }).then((app) => app.stop()),
  ),
  p('startApplication', 'options.exitProcess', none, (j, c) =>
    j === undefined ? SKIP : startApplication({ children: [] }, { system: c.system, signals: false, exitProcess: j }).then((app) => app.stop()),
  ),

  // ---------------------------------------------------------------- ActorSystem
  p('ActorSystem#spawn', 'behaviour', none, (j, c) => c.system.spawn(j, undefined)),
  p('ActorSystem#spawn', 'options', isOptions, (j, c) => c.system.spawn(Echo, undefined, j)),
  p('ActorSystem#spawn', 'options.name', (j) => j === undefined || j === 'x', (j, c) => c.system.spawn(Echo, undefined, { name: j }).then((r) => c.system.stop(r))),
  p('ActorSystem#spawn', 'options.mailbox', isUndefined, (j, c) => c.system.spawn(Echo, undefined, { mailbox: j })),
  p('ActorSystem#spawn', 'options.mailbox.capacity', (j) => j === 5, (j, c) => c.system.spawn(Echo, undefined, { mailbox: { capacity: j } })),
  p('ActorSystem#spawn', 'options.mailbox.overflow', isUndefined, (j, c) => c.system.spawn(Echo, undefined, { mailbox: { capacity: 5, overflow: j } })),
  p('ActorSystem#spawn', 'options.trapExit', isUndefined, (j, c) => c.system.spawn(Echo, undefined, { trapExit: j })),
  p('ActorSystem#start', 'behaviour', none, (j, c) => c.system.start(j, undefined)),
  p('ActorSystem#start', 'options', isOptions, (j, c) => c.system.start(Echo, undefined, j)),
  p('ActorSystem#spawnMonitor', 'behaviour', none, (j, c) => c.system.spawnMonitor(j, undefined, junkFn)),
  p('ActorSystem#spawnMonitor', 'onDown', isFn, (j, c) => c.system.spawnMonitor(Echo, undefined, j)),
  p('ActorSystem#spawnMonitor', 'options', isOptions, (j, c) => c.system.spawnMonitor(Echo, undefined, junkFn, j)),
  p('ActorSystem#call', 'ref', none, (j, c) => c.system.call(j, get)),
  p('ActorSystem#call', 'options', isOptions, (j, c) => c.system.call(c.ref, get, j)),
  p('ActorSystem#cast', 'ref', none, (j, c) => c.system.cast(j, get)),
  p('ActorSystem#send', 'ref', none, (j, c) => c.system.send(j, get)),
  p('ActorSystem#sendAfter', 'ref', none, (j, c) => c.system.sendAfter(j, get, 10)),
  p('ActorSystem#sendAfter', 'ms', isNumber, (j, c) => c.system.sendAfter(c.ref, get, j)),
  p('ActorSystem#cancelTimer', 'timer', none, (j, c) => c.system.cancelTimer(j)),
  p('ActorSystem#exit', 'ref', none, (j, c) => c.system.exit(j, 'kill')),
  p('ActorSystem#exit', 'reason', isReason, async (j, c) => c.system.exit(await c.fresh(), j)),
  p('ActorSystem#monitor', 'ref', none, (j, c) => c.system.monitor(j, junkFn)),
  p('ActorSystem#monitor', 'onDown', isFn, (j, c) => c.system.monitor(c.ref, j)),
  p('ActorSystem#demonitor', 'monitor', none, (j, c) => c.system.demonitor(j)),
  p('ActorSystem#register', 'name', isString, async (j, c) => c.system.register(j, await c.fresh())),
  p('ActorSystem#register', 'ref', none, (j, c) => c.system.register('probe', j)),
  p('ActorSystem#unregister', 'name', isString, (j, c) => c.system.unregister(j)),
  p('ActorSystem#whereis', 'name', isString, (j, c) => c.system.whereis(j)),
  p('ActorSystem#addNameProvider', 'provider', none, (j, c) => c.system.addNameProvider(j)),
  p('ActorSystem#registered', '(none)', any, (_j, c) => c.system.registered()),
  p('ActorSystem#nameProviders', '(none)', any, (_j, c) => c.system.nameProviders()),
  p('ActorSystem#isAlive', 'ref', none, (j, c) => c.system.isAlive(j)),
  p('ActorSystem#lookup', 'id', isString, (j, c) => c.system.lookup(j)),
  p('ActorSystem#actors', '(none)', any, (_j, c) => c.system.actors()),
  p('ActorSystem#trace', 'ref', none, (j, c) => c.system.trace(j, false)),
  p('ActorSystem#trace', 'options', none, (j, c) => c.system.trace(c.ref, j)),
  p('ActorSystem#traces', '(none)', any, (_j, c) => c.system.traces()),
  p('trace', 'ref', none, (j) => core.trace(j, false)),
  p('trace', 'options', none, (j, c) => core.trace(c.ref, j)),
  p('previewOf', 'value', any, (j) => core.previewOf(j)),
  p('previewOf', 'limits', isOptions, (j) => core.previewOf('x', j)),
  p('ActorSystem#getStatus', 'ref', none, (j, c) => c.system.getStatus(j)),
  p('ActorSystem#getState', 'ref', none, (j, c) => c.system.getState(j)),
  p('ActorSystem#getState', 'options', isOptions, (j, c) => c.system.getState(c.ref, j)),
  p('ActorSystem#replaceState', 'ref', none, (j, c) => c.system.replaceState(j, junkFn)),
  p('ActorSystem#replaceState', 'fn', isFn, async (j, c) => c.system.replaceState(await c.fresh(), j)),
  p('ActorSystem#replaceState', 'options', isOptions, async (j, c) => c.system.replaceState(await c.fresh(), () => undefined, j)),
  p('ActorSystem#suspend', 'ref', none, (j, c) => c.system.suspend(j)),
  p('ActorSystem#suspend', 'options', isOptions, async (j, c) => c.system.suspend(await c.fresh(), j)),
  p('ActorSystem#resume', 'ref', none, (j, c) => c.system.resume(j)),
  p('ActorSystem#resume', 'options', isOptions, async (j, c) => c.system.resume(await c.fresh(), j)),
  p('ActorSystem#stop', 'ref', none, (j, c) => c.system.stop(j)),
  p('ActorSystem#stop', 'reason', any, async (j, c) => c.system.stop(await c.fresh(), j)),
  p('ActorSystem#stop', 'options', isOptions, async (j, c) => c.system.stop(await c.fresh(), 'normal', j)),
  p('ActorSystem#shutdown', 'options', isOptions, (j) => createSystem().shutdown(j)),
  p('ActorSystem#onShutdown', 'hook', isFn, (j) => createSystem().onShutdown(j as never)),

  // ---------------------------------------------------------------- Inbox
  p('Inbox#receive', 'match', (j) => j === undefined || isFn(j), (j, c) => c.inbox.receive(j, { timeout: 10 }).catch((e) => (e instanceof core.CallTimeoutError ? 'timeout' : Promise.reject(e)))),
  p('Inbox#receive', 'options', isOptions, (j, c) => {
    send(c.inbox.ref, 'm');
    return c.inbox.receive(() => true, j);
  }),
  p('Inbox#trapExit', 'on', none, (j, c) => c.inbox.trapExit(j)),
  p('Inbox#link', 'ref', none, (j, c) => c.inbox.link(j)),
  p('Inbox#unlink', 'ref', none, (j, c) => c.inbox.unlink(j)),
  p('Inbox#monitor', 'ref', none, (j, c) => c.inbox.monitor(j)),
  p('Inbox#demonitor', 'monitor', none, (j, c) => c.inbox.demonitor(j)),
  p('Inbox#demonitor', 'options', isOptions, (j, c) => c.inbox.demonitor(c.inbox.monitor(c.ref), j)),
  p('Inbox#spawnLink', 'behaviour', none, (j, c) => c.inbox.spawnLink(j, undefined)),
  p('Inbox#spawnLink', 'options', isOptions, (j, c) => c.inbox.spawnLink(Echo, undefined, j)),
  p('Inbox#spawnMonitor', 'behaviour', none, (j, c) => c.inbox.spawnMonitor(j, undefined)),
  p('Inbox#exit', 'ref', none, (j, c) => c.inbox.exit(j, 'kill')),
  p('Inbox#exit', 'reason', isReason, async (j, c) => c.inbox.exit(await c.fresh(), j)),
  p('Inbox#close', 'reason', any, async (j, c) => (await openInbox(c.system)).close(j)),

  // ---------------------------------------------------------------- a behaviour's context methods (`this.` in a hook)
  p('Behaviour#link', 'ref', none, (j, c) => c.owner.link(j)),
  p('Behaviour#unlink', 'ref', none, (j, c) => c.owner.unlink(j)),
  p('Behaviour#monitor', 'ref', none, (j, c) => c.owner.monitor(j)),
  p('Behaviour#demonitor', 'monitor', none, (j, c) => c.owner.demonitor(j)),
  p('Behaviour#demonitor', 'options', isOptions, (j, c) => c.owner.demonitor(c.owner.monitor(c.ref), j)),
  p('Behaviour#exit', 'ref', none, (j, c) => c.owner.exit(j, 'kill')),
  p('Behaviour#exit', 'reason', isReason, async (j, c) => c.owner.exit(await c.fresh(), j)),
  p('Behaviour#call', 'ref', none, (j, c) => c.owner.call(j, get)),
  p('Behaviour#call', 'options', isOptions, (j, c) => c.owner.call(c.ref, get, j)),
  p('Behaviour#cast', 'ref', none, (j, c) => c.owner.cast(j, get)),
  p('Behaviour#send', 'ref', none, (j, c) => c.owner.send(j, get)),
  p('Behaviour#sendAfter', 'ms', isNumber, (j, c) => c.owner.sendAfter(get, j)),
  p('Behaviour#cancelTimer', 'timer', none, (j, c) => c.owner.cancelTimer(j)),
  p('Behaviour#trapExit', 'on', none, (j, c) => c.owner.trapExit(j)),
  p('Behaviour#reply', 'from', none, (j, c) => c.owner.reply(j, 1)),
  p('Behaviour#spawn', 'behaviour', none, (j, c) => c.owner.spawn(j, undefined)),
  p('Behaviour#spawnLink', 'behaviour', none, (j, c) => c.owner.spawnLink(j, undefined)),
  p('Behaviour#startLink', 'behaviour', none, (j, c) => c.owner.startLink(j, undefined)),
  p('Behaviour#spawnMonitor', 'behaviour', none, (j, c) => c.owner.spawnMonitor(j, undefined)),
  p('Behaviour#spawn', 'options', isOptions, (j, c) => c.owner.spawn(Echo, undefined, j)),
  p('Behaviour#stop', 'reason', any, async (j, c) => (await c.freshOwner()).stop(j)),
  p('Behaviour#continue', 'arg', any, async (j, c) => (await c.freshOwner()).continue(j)),

  // ---------------------------------------------------------------- Registry and its handle
  p('Registry.start', 'system', none, (j) => Registry.start(j, { keys: 'unique' })),
  p('Registry.start', 'options', none, (j, c) => Registry.start(c.system, j)),
  p('Registry.start', 'spawnOptions', isOptions, (j, c) => Registry.start(c.system, { keys: 'unique' }, j)),
  p('Registry.childSpec', 'options', none, (j) => Registry.childSpec(j)),
  p('Registry.childSpec', 'overrides', isOptions, (j) => Registry.childSpec({ keys: 'unique' }, j)),
  p('Registry.of', 'ref', none, (j) => Registry.of(j)),
  p('Registry.named', 'system', none, (j) => Registry.named(j, 'reg')),
  p('Registry.named', 'name', isString, (j, c) => Registry.named(c.system, j)),
  p('RegistryHandle#register', 'key', any, async (j, c) => c.registry.register(j, 1, { owner: await c.fresh() })),
  p('RegistryHandle#register', 'value', any, async (j, c) => c.registry.register(`v${JUNK.findIndex(([, v]) => v === j)}`, j, { owner: await c.fresh() })),
  p('RegistryHandle#register', 'options', none, (j, c) => c.registry.register('o', 1, j)),
  p('RegistryHandle#register', 'options.owner', none, (j, c) => c.registry.register('o', 1, { owner: j })),
  p('RegistryHandle#unregister', 'key', any, (j, c) => c.registry.unregister(j, { owner: c.ref })),
  p('RegistryHandle#unregister', 'options', none, (j, c) => c.registry.unregister('o', j)),
  p('RegistryHandle#unregisterMatch', 'predicate', isFn, (j, c) => c.registry.unregisterMatch('o', j, { owner: c.ref })),
  p('RegistryHandle#unregisterMatch', 'options', none, (j, c) => c.registry.unregisterMatch('o', junkFn as never, j)),
  p('RegistryHandle#updateValue', 'fn', isFn, (j, c) => c.registry.updateValue('o', j, { owner: c.ref })),
  p('RegistryHandle#updateValue', 'options', none, (j, c) => c.registry.updateValue('o', (v) => v, j)),
  p('RegistryHandle#whereis', 'key', any, (j, c) => c.registry.whereis(j)),
  p('RegistryHandle#lookup', 'key', any, (j, c) => c.registry.lookup(j)),
  p('RegistryHandle#dispatch', 'fn', isFn, (j, c) => c.registry.dispatch('k', j)),
  p('RegistryHandle#match', 'predicate', isFn, (j, c) => c.registry.match('k', j)),
  p('RegistryHandle#countMatch', 'predicate', isFn, (j, c) => c.registry.countMatch('k', j)),
  p('RegistryHandle#select', 'predicate', (j) => j === undefined || isFn(j), (j, c) => c.registry.select(j)),
  p('RegistryHandle#countSelect', 'predicate', (j) => j === undefined || isFn(j), (j, c) => c.registry.countSelect(j)),
  p('RegistryHandle#count', '(none)', any, (_j, c) => c.registry.count()),
  p('RegistryHandle#keys', 'ref', none, (j, c) => c.registry.keys(j)),
  p('RegistryHandle#values', 'ref', none, (j, c) => c.registry.values('k', j)),
  p('RegistryHandle#meta', 'key', isString, (j, c) => c.registry.meta(j)),
  p('RegistryHandle#putMeta', 'key', isString, (j, c) => c.registry.putMeta(j, 1)),
  p('RegistryHandle#deleteMeta', 'key', isString, (j, c) => c.registry.deleteMeta(j)),
  p('RegistryHandle#listen', 'listener', isFn, (j, c) => c.registry.listen(j)()),
  p('RegistryHandle#via', 'key', any, (j, c) => c.registry.via(j)),
  p('RegistryHandle#registerName', 'ref', none, (j, c) => c.registry.registerName('n', j)),
  p('RegistryHandle#unregisterName', 'ref', none, (j, c) => c.registry.unregisterName('n', j)),
  p('RegistryHandle#whereisName', 'key', any, (j, c) => c.registry.whereisName(j)),
  p('RegistryHandle#keysOf', 'ref', none, (j, c) => c.registry.keysOf(j)),

  // ---------------------------------------------------------------- Agent
  p('Agent.start', 'system', none, (j) => Agent.start(j, () => 0)),
  p('Agent.start', 'init', isFn, (j, c) => Agent.start(c.system, j)),
  p('Agent.start', 'options', isOptions, (j, c) => Agent.start(c.system, () => 0, j)),
  p('Agent.startLink', 'owner', none, (j) => Agent.startLink(j, () => 0)),
  p('Agent.startLink', 'init', isFn, async (j, c) => Agent.startLink(await c.freshOwner(), j)),
  p('Agent.childSpec', 'init', isFn, (j) => Agent.childSpec(j)),
  p('Agent.childSpec', 'overrides', isOptions, (j) => Agent.childSpec(() => 0, j)),
  p('Agent.get', 'agent', none, (j) => Agent.get(j, junkFn)),
  p('Agent.get', 'fn', isFn, (j, c) => Agent.get(c.agent, j)),
  p('Agent.get', 'options', isOptions, (j, c) => Agent.get(c.agent, (n) => n, j)),
  p('Agent.update', 'agent', none, (j) => Agent.update(j, junkFn as never)),
  p('Agent.update', 'fn', isFn, async (j, c) => Agent.update(await Agent.start(c.system, () => 0), j)),
  p('Agent.getAndUpdate', 'agent', none, (j) => Agent.getAndUpdate(j, junkFn as never)),
  p('Agent.getAndUpdate', 'fn', none, async (j, c) => Agent.getAndUpdate(await Agent.start(c.system, () => 0), j)),
  p('Agent.cast', 'agent', none, (j) => Agent.cast(j, junkFn as never)),
  p('Agent.cast', 'fn', isFn, async (j, c) => Agent.cast(await Agent.start(c.system, () => 0), j)),
  p('Agent.stop', 'agent', none, (j) => Agent.stop(j)),
  p('Agent.stop', 'reason', any, async (j, c) => Agent.stop(await Agent.start(c.system, () => 0), j)),
  p('Agent.stop', 'options', isOptions, async (j, c) => Agent.stop(await Agent.start(c.system, () => 0), 'normal', j)),

  // ---------------------------------------------------------------- Task and TaskSupervisor
  p('Task.async', 'owner', none, (j) => Task.async(j, () => 1)),
  p('Task.async', 'fn', isFn, async (j, c) => Task.async(await c.freshOwner(), j)),
  p('Task.await', 'task', none, (j) => Task.await(j)),
  p('Task.await', 'timeout', (j) => j === undefined || j === 5, (j, c) => Task.await(c.task, j)),
  p('Task.yield', 'task', none, (j) => Task.yield(j)),
  p('Task.yield', 'timeout', (j) => j === undefined || j === 5, (j, c) => Task.yield(c.task, j)),
  p('Task.shutdown', 'task', none, (j) => Task.shutdown(j)),
  p('Task.shutdown', 'shutdown', (j) => j === undefined || j === 5, async (j, c) => Task.shutdown(await Task.async(await c.freshOwner(), () => new Promise(() => {})), j)),
  p('TaskSupervisor.start', 'system', none, (j) => TaskSupervisor.start(j)),
  p('TaskSupervisor.start', 'options', isOptions, (j, c) => TaskSupervisor.start(c.system, j)),
  p('TaskSupervisor.start', 'spawnOptions', isOptions, (j, c) => TaskSupervisor.start(c.system, {}, j)),
  p('TaskSupervisor.childSpec', 'options', isOptions, (j) => TaskSupervisor.childSpec(j)),
  p('TaskSupervisor.childSpec', 'overrides', isOptions, (j) => TaskSupervisor.childSpec({}, j)),
  p('TaskSupervisor.asyncNolink', 'sup', none, (j) => TaskSupervisor.asyncNolink(j, () => 1)),
  p('TaskSupervisor.asyncNolink', 'fn', isFn, (j, c) => TaskSupervisor.asyncNolink(c.tasks, j)),
  p('TaskSupervisor.asyncNolink', 'options', isOptions, (j, c) => TaskSupervisor.asyncNolink(c.tasks, () => 1, j)),
  p('TaskSupervisor.startChild', 'sup', none, (j) => TaskSupervisor.startChild(j, () => 1)),
  p('TaskSupervisor.startChild', 'fn', isFn, (j, c) => TaskSupervisor.startChild(c.tasks, j)),
  p('TaskSupervisor.startChild', 'options', isOptions, (j, c) => TaskSupervisor.startChild(c.tasks, () => 1, j)),
  p('TaskSupervisor.children', 'sup', none, (j) => TaskSupervisor.children(j)),
];

/**
 * Public functions the probe leaves out, and why. Supervisors, child specs and the dump
 * are validated and probed in their own test files (supervisor/validation.test.ts, dumpJunk.test.ts); constructors marked @internal are not
 * for users; hooks are called by the runtime, not by users.
 */
const ELSEWHERE: Readonly<Record<string, string>> = {
  childSpec: 'supervisor child specs',
  describeSupervisor: 'supervisor introspection',
  'Supervisor.*': 'supervisors',
  'DynamicSupervisor.*': 'supervisors',
  dump: 'the dump',
  dumpSteps: 'the dump (probed in dumpJunk.test.ts)',
  renderDump: 'the dump',
  checkDump: 'the dump: answers what is wrong with any value, never throws (dumpJunk.test.ts)',
  renderDumpLines: 'the dump: documented as unchecked, renderDump is its checked form',
};
/** Classes whose prototype methods the table probes (`Class#method`). */
const INSTANCE_APIS: Readonly<Record<string, object>> = {
  ActorSystem: core.ActorSystem.prototype,
  Inbox: core.Inbox.prototype,
  RegistryHandle: core.RegistryHandle.prototype,
  Behaviour: core.Behaviour.prototype,
};
/** Methods of those classes that take no argument worth probing, or are hooks the runtime calls. */
const NO_JUNK_METHODS = new Set([
  'Inbox.open', // @internal: probed through openInbox
  'Task.of', // @internal: TaskSupervisor's
  'ActorSystem#spawnFrom',
  'ActorSystem#startFrom',
  'ActorSystem#callFrom',
  'ActorSystem#exitFrom',
  'ActorSystem#reply',
  'ActorSystem#forget',
  'ActorSystem#reportCrash',
  'ActorSystem#reportTerminateError',
  'ActorSystem#settleStart',
  'ActorSystem#pickOutcome',
  'ActorSystem#unwrapOutcome',
  'ActorSystem#startCell',
  'ActorSystem#completeInit',
  'ActorSystem#failInit',
  'Behaviour#onInit',
  'Behaviour#onCall',
  'Behaviour#onCast',
  'Behaviour#onInfo',
  'Behaviour#onContinue',
  'Behaviour#onTerminate',
  'Behaviour#formatStatus',
  'Behaviour#dropUnexpected',
]);

/** Every public function name the index exports: `fn`, `Class.static`, `Class#method`, `object.fn`. */
function publicFunctions(): string[] {
  const names: string[] = [];
  for (const [key, value] of Object.entries(core)) {
    if (typeof value === 'function') {
      const isClass = /^class\b/.test(Function.prototype.toString.call(value));
      if (!isClass) names.push(key);
      else if (!(value.prototype instanceof Error)) {
        for (const s of Object.getOwnPropertyNames(value)) {
          if (['length', 'name', 'prototype', 'callbacks'].includes(s)) continue;
          if (typeof Object.getOwnPropertyDescriptor(value, s)?.value === 'function') names.push(`${key}.${s}`);
        }
      }
    } else if (typeof value === 'object' && value !== null) {
      for (const [m, f] of Object.entries(value)) if (typeof f === 'function') names.push(`${key}.${m}`);
    }
  }
  for (const [cls, proto] of Object.entries(INSTANCE_APIS)) {
    for (const m of Object.getOwnPropertyNames(proto)) {
      if (m === 'constructor') continue;
      if (typeof Object.getOwnPropertyDescriptor(proto, m)?.value === 'function') names.push(`${cls}#${m}`);
    }
  }
  return names;
}

function covered(name: string, probed: Set<string>): boolean {
  if (probed.has(name) || NO_JUNK_METHODS.has(name) || name in ELSEWHERE) return true;
  return `${name.split(/[.#]/)[0]!}.*` in ELSEWHERE;
}

type Outcome = { status: 'fulfilled'; value: unknown } | { status: 'rejected'; reason: unknown } | { status: 'pending' };

/** Settles `p` or answers 'pending' after `ms`. */
async function within(p: PromiseLike<unknown>, ms: number): Promise<Outcome> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const bound = new Promise<Outcome>((r) => (timer = setTimeout(() => r({ status: 'pending' }), ms)));
  const settled = Promise.resolve(p).then(
    (value): Outcome => ({ status: 'fulfilled', value }),
    (reason: unknown): Outcome => ({ status: 'rejected', reason }),
  );
  try {
    return await Promise.race([settled, bound]);
  } finally {
    clearTimeout(timer);
  }
}

function describeError(e: unknown): string {
  return e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e);
}

async function context(system: ActorSystem): Promise<Ctx> {
  const ref = await system.spawn(Echo, undefined);
  const freshOwner = async (): Promise<Holder> => {
    await system.spawn(Holder, undefined);
    return Holder.last!;
  };
  const owner = await freshOwner();
  const registry = await Registry.start(system, { keys: 'unique', name: 'reg' });
  const task = (await Task.async(owner, () => 1)) as Task<number>;
  await Task.await(task);
  return {
    system,
    ref,
    owner,
    inbox: await openInbox(system),
    registry,
    agent: await Agent.start(system, () => 0),
    tasks: await TaskSupervisor.start(system),
    task,
    fresh: () => system.spawn(Echo, undefined),
    freshOwner,
  };
}

test('every public function of core refuses junk with an ArborError, or takes it as a documented valid input', async (t) => {
  const { system } = capturingSystem('junk');
  const c = await context(system);
  const failures: string[] = [];
  for (const probe of PROBES) {
    for (const [label, junk] of JUNK) {
      const where = `${probe.name}(${probe.arg} = ${label})`;
      let out: unknown;
      try {
        out = probe.run(junk, c);
      } catch (e) {
        if (!(e instanceof ArborError)) failures.push(`${where} threw ${describeError(e)}`);
        continue;
      }
      if (out === SKIP) continue;
      const r: Outcome =
        typeof out === 'object' && out !== null && typeof (out as PromiseLike<unknown>).then === 'function' ? await within(out as PromiseLike<unknown>, 3000) : { status: 'fulfilled', value: out };
      if (r.status === 'pending') failures.push(`${where} never settled`);
      else if (r.status === 'rejected') {
        if (!(r.reason instanceof ArborError)) failures.push(`${where} rejected with ${describeError(r.reason)}`);
        else if (probe.valid(junk)) failures.push(`${where} refused a documented valid input: ${describeError(r.reason)}`);
      } else if (!probe.valid(junk)) failures.push(`${where} accepted junk`);
    }
  }
  t.deepEqual(failures, []);
  t.true(system.isAlive(c.ref), 'the shared target survived every probe');
  await system.shutdown();
  await defaultSystem().shutdown();
});

test('the junk probe covers every public function the index exports', (t) => {
  const probed = new Set(PROBES.map((x) => x.name));
  const all = publicFunctions();
  for (const sample of ['call', 'createSystem', 'ActorSystem#sendAfter', 'Inbox#receive', 'Behaviour#link', 'Agent.get', 'Task.async', 'TaskSupervisor.asyncNolink', 'Registry.named', 'RegistryHandle#match', 'Supervisor.start']) {
    t.true(all.includes(sample), `the export walk finds ${sample}`);
  }
  t.deepEqual([...probed].filter((name) => !all.includes(name)), [], 'every probed name is a public function');
  t.deepEqual(all.filter((name) => !covered(name, probed)), []);
});
