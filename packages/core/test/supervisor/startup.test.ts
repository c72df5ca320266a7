/**
 * Supervisor start-up (reference semantics §3): children start in order, one at a time; a
 * child failing at init stops the started ones in reverse order and the supervisor fails
 * with failed_to_start_child(id, reason); `ignore` keeps a permanent/transient spec with
 * no ref and drops a temporary one. Start functions and their outcomes.
 */
import test from 'ava';
import {
  ChildStartTimeoutError,
  createSystem,
  FailedToStartChildError,
  GenServer,
  InitError,
  InvalidOptionError,
  openInbox,
  Supervisor,
  type ActorRef,
  type ChildSpec,
  type StartFunction,
} from '../../src/index.js';
import { sleep } from '../support/helpers.js';
import { exitChild, exitOf, refs, restarted, until, Worker, worker, type WorkerArg } from '../support/supervisorWorkers.js';

test('children start in order; whichChildren lists them in start order', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  const sup = await Supervisor.start(system, { children: ['a', 'b', 'c', 'd'].map((id) => worker(id, events)) });
  t.deepEqual(events, ['start a', 'start b', 'start c', 'start d']);
  const children = await Supervisor.whichChildren(sup);
  t.deepEqual(
    children.map((c) => [c.id, c.type, c.restart]),
    [
      ['a', 'worker', 'permanent'],
      ['b', 'worker', 'permanent'],
      ['c', 'worker', 'permanent'],
      ['d', 'worker', 'permanent'],
    ],
  );
  for (const c of children) t.true(system.isAlive(c.ref as never));
  t.deepEqual(system.getStatus(sup).links.length, 4, 'the supervisor is linked to each child');
  for (const c of children) t.is(system.getStatus(c.ref as never).parent, sup.id, 'the supervisor is each child\'s parent');
  await system.shutdown();
});

test('children start one at a time: an async start finishes before the next begins', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  const slow = (id: string): ChildSpec => ({
    id,
    start: async (starter) => {
      events.push(`begin ${id}`);
      await sleep(15);
      const r = await starter.startLink(Worker, { id, events });
      events.push(`end ${id}`);
      return r;
    },
  });
  await Supervisor.start(system, { children: [slow('a'), slow('b'), slow('c')] });
  t.deepEqual(events, ['begin a', 'start a', 'end a', 'begin b', 'start b', 'end b', 'begin c', 'start c', 'end c']);
  await system.shutdown();
});

test('a child failing at init: the started ones stop in reverse order and the start rejects with InitError(FailedToStartChildError(id, reason))', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  const err = await t.throwsAsync(
    Supervisor.start(system, {
      children: [worker('a', events, { trap: true }), worker('b', events, { trap: true }), worker('c', events, { failInit: () => true }), worker('d', events)],
    }),
    { instanceOf: InitError },
  );
  t.deepEqual(events, ['start a', 'start b', 'fail c', 'stop b shutdown', 'stop a shutdown']);
  const reason = err.reason;
  t.true(reason instanceof FailedToStartChildError);
  if (!(reason instanceof FailedToStartChildError)) return;
  t.is(reason.code, 'failed_to_start_child');
  t.is(reason.childId, 'c');
  t.true(reason.reason instanceof Error);
  t.regex(String((reason.reason as Error).message), /init of c failed/);
  t.regex(reason.message, /child "c" failed to start: Error: init of c failed/);
  t.is(system.size, 0, 'nothing is left running');
  await system.shutdown();
});

test('the first child failing: nothing to stop, the start rejects', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  const err = await t.throwsAsync(Supervisor.start(system, { children: [worker('a', events, { failInit: () => true }), worker('b', events)] }), { instanceOf: InitError });
  t.is((err.reason as FailedToStartChildError).childId, 'a');
  t.deepEqual(events, ['fail a']);
  await system.shutdown();
});

test('ignore at init: a permanent or transient spec is kept with no ref, a temporary one is dropped', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  const yes = (): boolean => true;
  const sup = await Supervisor.start(system, {
    children: [
      worker('a', events),
      worker('p', events, { ignore: yes }),
      worker('t', events, { ignore: yes, restart: 'transient' }),
      worker('tmp', events, { ignore: yes, restart: 'temporary' }),
      worker('z', events),
    ],
  });
  t.deepEqual(events, ['start a', 'ignore p', 'ignore t', 'ignore tmp', 'start z']);
  const r = await refs(sup);
  t.deepEqual(Object.keys(r), ['a', 'p', 't', 'z']);
  t.is(r['p'], undefined);
  t.is(r['t'], undefined);
  t.deepEqual(await Supervisor.countChildren(sup), { specs: 4, active: 2, supervisors: 0, workers: 4 });
  t.is(await Supervisor.getChildSpec(sup, 'tmp'), 'not_found');
  // The kept spec can be started later.
  const again = await Supervisor.restartChild(sup, 'p');
  t.deepEqual(again, { status: 'ignore' }, 'still ignoring');
  await system.shutdown();
});

test('start functions: ok through starter.startLink, ignore, and an unlinked actor gets linked to the supervisor', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  const viaStarter: StartFunction = (s) => s.startLink(Worker, { id: 'f', events });
  // A start function that spawns without a link: the supervisor links the actor itself.
  const unlinked: StartFunction = async (s) => ({ status: 'ok', ref: await s.system.spawn(Worker, { id: 'u', events }) });
  const ignoring: StartFunction = async () => ({ status: 'ignore' });
  const sup = await Supervisor.start(system, {
    children: [
      { id: 'f', start: viaStarter },
      { id: 'u', start: unlinked },
      { id: 'i', start: ignoring },
    ],
  });
  const r = await refs(sup);
  t.deepEqual(Object.keys(r), ['f', 'u', 'i']);
  t.is(r['i'], undefined);
  t.true(system.getStatus(r['u'] as never).links.includes(sup.id), 'linked');
  // Being linked, its crash is seen and it is restarted.
  const old = await exitChild(system, sup, 'u', 'kill');
  await restarted(sup, 'u', old);
  t.deepEqual(events, ['start f', 'start u', 'start u']);
  await system.shutdown();
});

test('start functions that throw, answer error, or answer something malformed fail the start', async (t) => {
  const system = createSystem();
  const boom = new Error('start fn threw');
  const cases: [StartFunction, (reason: unknown) => boolean][] = [
    [
      () => {
        throw boom;
      },
      (r) => r === boom,
    ],
    [async () => ({ status: 'error', reason: 'nope' }), (r) => r === 'nope'],
    [async () => 42 as never, (r) => r instanceof InvalidOptionError],
    [async () => ({ status: 'ok', ref: 'not a ref' }) as never, (r) => r instanceof InvalidOptionError],
  ];
  for (const [start, check] of cases) {
    const err = await t.throwsAsync(Supervisor.start(system, { children: [{ id: 'x', start }] }), { instanceOf: InitError });
    const reason = err.reason as FailedToStartChildError;
    t.true(reason instanceof FailedToStartChildError);
    t.true(check(reason.reason), `reason: ${String(reason.reason)}`);
  }
  await system.shutdown();
});

test('a supervisor with no children starts; spawn options such as a name apply', async (t) => {
  const system = createSystem();
  const sup = await Supervisor.start(system, { children: [] }, { name: 'root' });
  t.is(system.whereis('root'), sup);
  t.deepEqual(await Supervisor.whichChildren(sup), []);
  t.deepEqual(await Supervisor.countChildren(sup), { specs: 0, active: 0, supervisors: 0, workers: 0 });
  t.true(system.getStatus(sup).trapExit, 'a supervisor traps exits');
  await system.stop(sup, 'shutdown');
  await system.shutdown();
});

test('a Supervisor subclass builds its definition in configure(arg), at every (re)start', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  const configured: number[] = [];
  class Pool extends Supervisor<{ size: number }> {
    protected override configure(arg: { size: number }) {
      configured.push(arg.size);
      return {
        intensity: 0,
        children: Array.from({ length: arg.size }, (_, i) => worker(`w${i}`, events)),
      };
    }
  }
  const root = await Supervisor.start(system, { children: [Pool.childSpec({ size: 2 }, { id: 'pool' })] });
  const pool = (await refs(root))['pool'];
  t.deepEqual(Object.keys(await refs(pool as never)), ['w0', 'w1']);
  await exitChild(system, pool as never, 'w1', 'kill');
  await exitOf(system, pool as never);
  await restarted(root, 'pool', pool as never);
  t.deepEqual(configured, [2, 2]);
  t.deepEqual(events, ['start w0', 'start w1', 'start w0', 'start w1']);
  const direct = await Pool.start(system, { size: 1 });
  t.deepEqual(Object.keys(await refs(direct)), ['w0']);
  await system.shutdown();
});

test('the same arg object is handed to every restart of a spec', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  const seen: WorkerArg[] = [];
  const spec = worker('a', events, { onStart: () => seen.push(spec.arg) });
  const sup = await Supervisor.start(system, { children: [spec] });
  const old = await exitChild(system, sup, 'a', 'kill');
  await restarted(sup, 'a', old);
  t.is(seen.length, 2);
  t.is(seen[0], seen[1]);
  await system.shutdown();
});

/** Its init waits `ms` before it completes. */
class SlowInit extends GenServer<{}, undefined, { ms: number; onInit: (ref: ActorRef) => void }> {
  override async init({ ms, onInit }: { ms: number; onInit: (ref: ActorRef) => void }): Promise<void> {
    onInit(this.self);
    await sleep(ms);
  }
}

test('startTimeout: a start function that never settles fails the supervisor’s start with ChildStartTimeoutError', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  const never: ChildSpec = { id: 'never', start: () => new Promise<never>(() => {}), startTimeout: 50 };
  const e = await t.throwsAsync(Supervisor.start(system, { children: [worker('a', events, { trap: true }), never] }), { instanceOf: InitError });
  t.true(e.reason instanceof FailedToStartChildError);
  const cause = (e.reason as FailedToStartChildError).reason;
  t.true(cause instanceof ChildStartTimeoutError);
  t.like(cause, { code: 'child_start_timeout', childId: 'never', timeout: 50 });
  t.deepEqual(events, ['start a', 'stop a shutdown'], 'the started child was stopped');
  await system.shutdown();
});

test('startTimeout: a child arriving after its start timed out is killed (a start function, and a behaviour whose init is late)', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  const sup = await Supervisor.start(system, { children: [] });
  let late: ActorRef | undefined;
  const slowFn: ChildSpec = {
    id: 'fn',
    startTimeout: 30,
    start: async (s) => {
      await sleep(120);
      late = await s.system.spawn(Worker, { id: 'late', events });
      return { status: 'ok', ref: late };
    },
  };
  const r1 = await Supervisor.startChild(sup, slowFn);
  t.true(r1.status === 'error' && r1.reason instanceof ChildStartTimeoutError);
  let initing: ActorRef | undefined;
  const r2 = await Supervisor.startChild(sup, { id: 'beh', startTimeout: 30, start: { behaviour: SlowInit, arg: { ms: 120, onInit: (ref: ActorRef) => (initing = ref) } } });
  t.true(r2.status === 'error' && r2.reason instanceof ChildStartTimeoutError);
  t.true(await until(() => late !== undefined && !system.isAlive(late) && initing !== undefined && !system.isAlive(initing)));
  t.is(system.getStatus(late!).exitReason, 'killed');
  t.is(system.getStatus(initing!).exitReason, 'killed');
  t.deepEqual(await Supervisor.whichChildren(sup), [], 'neither is a child');
  t.true(system.isAlive(sup));
  // In time, the same spec starts as usual.
  const r3 = await Supervisor.startChild(sup, { id: 'quick', startTimeout: 5000, start: { behaviour: SlowInit, arg: { ms: 1, onInit: () => {} } } });
  t.is(r3.status, 'ok');
  await system.shutdown();
});

test('a supervisor whose start fails exits with FailedToStartChildError (Arbor keeps the typed error; OTP exits with {shutdown, {failed_to_start_child, Id, Reason}})', async (t) => {
  const system = createSystem();
  const inbox = await openInbox(system);
  inbox.trapExit(true);
  const events: string[] = [];
  await t.throwsAsync(inbox.spawnLink(Supervisor, { children: [worker('bad', events, { failInit: () => true })] }), { instanceOf: InitError });
  const exit = (await inbox.receive((m) => (m as { type?: string }).type === 'EXIT', { timeout: 2000 })) as { reason: unknown };
  t.true(exit.reason instanceof FailedToStartChildError);
  t.is((exit.reason as FailedToStartChildError).childId, 'bad');
  await system.shutdown();
});
