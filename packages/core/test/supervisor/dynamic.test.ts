/**
 * DynamicSupervisor (reference semantics §3): one_for_one by ref, restart types and
 * intensity, maxChildren (restarting children count), extraArguments, terminateChild by
 * ref, a shutdown that signals every child at once, and a thousand children.
 */
import test from 'ava';
import {
  createSystem,
  DynamicSupervisor,
  MaxChildrenError,
  Supervisor,
  type ActorRef,
  type ActorSystem,
  type DynamicChildSpec,
  type DynamicSupervisorProtocol,
  type RestartType,
} from '../../src/index.js';
import { gate } from '../support/actors.js';
import { sleep } from '../support/helpers.js';
import { exitOf, only, refs, until, Worker, type WorkerArg, type WorkerOptions, type WorkerProtocol } from '../support/supervisorWorkers.js';

type DynRef = ActorRef<DynamicSupervisorProtocol>;

function dynSpec(id: string, events: string[], options: WorkerOptions = {}): DynamicChildSpec {
  const { restart, shutdown, type, significant: _s, ...own } = options;
  const arg: WorkerArg = { id, events, ...own };
  return {
    start: { behaviour: Worker, arg },
    ...(restart === undefined ? {} : { restart }),
    ...(shutdown === undefined ? {} : { shutdown }),
    ...(type === undefined ? {} : { type }),
  };
}

async function startOk(sup: DynRef, spec: DynamicChildSpec): Promise<ActorRef<WorkerProtocol>> {
  const r = await DynamicSupervisor.startChild(sup, spec);
  if (r.status !== 'ok') throw new Error(`start failed: ${JSON.stringify(r)}`);
  return r.ref as ActorRef<WorkerProtocol>;
}

async function childRefs(sup: DynRef): Promise<unknown[]> {
  return (await DynamicSupervisor.whichChildren(sup)).map((c) => c.ref);
}

async function waitNewChild(sup: DynRef, known: readonly unknown[], system: ActorSystem): Promise<ActorRef> {
  let found: unknown;
  const ok = await until(async () => {
    found = (await childRefs(sup)).find((r) => r !== 'restarting' && !known.includes(r));
    return found !== undefined;
  });
  if (!ok) throw new Error('no restarted child');
  void system;
  return found as ActorRef;
}

test('one_for_one by ref: a crashed child is restarted with a new ref, the others keep theirs', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  const sup = await DynamicSupervisor.start(system);
  t.deepEqual(await DynamicSupervisor.whichChildren(sup), []);
  const a = await startOk(sup, dynSpec('a', events));
  const b = await startOk(sup, dynSpec('b', events));
  const c = await startOk(sup, dynSpec('c', events));
  t.deepEqual(await childRefs(sup), [a, b, c]);
  t.is(system.getStatus(b).parent, sup.id);
  system.exit(b, 'kill');
  const b2 = await waitNewChild(sup, [a, b, c], system);
  const now = await childRefs(sup);
  t.is(now.length, 3);
  t.true(now.includes(a) && now.includes(c) && now.includes(b2));
  t.false(now.includes(b));
  t.deepEqual(events, ['start a', 'start b', 'start c', 'start b']);
  t.deepEqual(await DynamicSupervisor.countChildren(sup), { specs: 3, active: 3, supervisors: 0, workers: 3 });
  await system.shutdown();
});

for (const [restart, restarted] of [
  ['permanent', true],
  ['transient', false],
  ['temporary', false],
] as [RestartType, boolean][]) {
  test(`a ${restart} dynamic child that exits normally is ${restarted ? 'restarted' : 'forgotten'}`, async (t) => {
    const system = createSystem();
    const events: string[] = [];
    const sup = await DynamicSupervisor.start(system);
    const a = await startOk(sup, dynSpec('a', events, { restart }));
    system.cast(a, { type: 'exit', reason: 'normal' });
    await exitOf(system, a);
    if (restarted) await waitNewChild(sup, [a], system);
    t.is((await DynamicSupervisor.whichChildren(sup)).length, restarted ? 1 : 0);
    t.deepEqual(only(events, 'start').length, restarted ? 2 : 1);
    await system.shutdown();
  });
}

test('a transient dynamic child that crashes is restarted; a temporary one is not', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  const sup = await DynamicSupervisor.start(system);
  const tr = await startOk(sup, dynSpec('tr', events, { restart: 'transient' }));
  const tmp = await startOk(sup, dynSpec('tmp', events, { restart: 'temporary' }));
  system.exit(tmp, 'kill');
  system.exit(tr, 'kill');
  await waitNewChild(sup, [tr, tmp], system);
  t.is((await DynamicSupervisor.whichChildren(sup)).length, 1);
  t.deepEqual(only(events, 'start'), ['start tr', 'start tmp', 'start tr']);
  await system.shutdown();
});

test('intensity: one restart too many stops every child and the dynamic supervisor exits with shutdown', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  const sup = await DynamicSupervisor.start(system, { intensity: 1, period: 60_000 });
  const a = await startOk(sup, dynSpec('a', events, { trap: true }));
  const b = await startOk(sup, dynSpec('b', events, { trap: true }));
  system.exit(a, 'kill');
  const a2 = await waitNewChild(sup, [a, b], system);
  system.exit(a2, 'kill');
  t.is(await exitOf(system, sup), 'shutdown');
  t.is(await exitOf(system, b), 'shutdown');
  t.deepEqual(events, ['start a', 'start b', 'start a', 'stop b shutdown']);
  await system.shutdown();
});

test('maxChildren: the next start answers error with MaxChildrenError; room comes back when a child stops', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  const sup = await DynamicSupervisor.start(system, { maxChildren: 2 });
  const a = await startOk(sup, dynSpec('a', events));
  await startOk(sup, dynSpec('b', events));
  const r = await DynamicSupervisor.startChild(sup, dynSpec('c', events));
  t.is(r.status, 'error');
  const reason = r.status === 'error' ? r.reason : undefined;
  t.true(reason instanceof MaxChildrenError);
  if (reason instanceof MaxChildrenError) {
    t.is(reason.code, 'max_children');
    t.is(reason.maxChildren, 2);
    t.regex(reason.message, /already has its maxChildren \(2\) children/);
  }
  t.deepEqual(events, ['start a', 'start b'], 'c was not started at all');
  t.is(await DynamicSupervisor.terminateChild(sup, a), 'ok');
  t.is((await DynamicSupervisor.startChild(sup, dynSpec('c', events))).status, 'ok');
  await system.shutdown();
});

test('maxChildren: a restarting child counts toward it', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  const sup = await DynamicSupervisor.start(system, { maxChildren: 2, backoff: { initialMs: 60_000, maxMs: 60_000 } });
  const a = await startOk(sup, dynSpec('a', events));
  await startOk(sup, dynSpec('b', events));
  system.exit(a, 'kill');
  await exitOf(system, a);
  const children = await DynamicSupervisor.whichChildren(sup);
  t.deepEqual(
    children.map((c) => c.ref === 'restarting'),
    [false, true],
    'a waits for its restart',
  );
  t.deepEqual(await DynamicSupervisor.countChildren(sup), { specs: 2, active: 1, supervisors: 0, workers: 2 });
  const r = await DynamicSupervisor.startChild(sup, dynSpec('c', events));
  t.true(r.status === 'error' && r.reason instanceof MaxChildrenError);
  await system.shutdown();
});

test('a failing restart is retried (restarting in whichChildren) without starving timers, until it succeeds', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  let broken = false;
  const sup = await DynamicSupervisor.start(system, { intensity: 1_000_000_000, period: 600_000 });
  const a = await startOk(sup, dynSpec('a', events, { failInit: () => broken }));
  broken = true;
  system.exit(a, 'kill');
  await exitOf(system, a);
  t.deepEqual(await childRefs(sup), ['restarting']);
  await sleep(20);
  t.true(only(events, 'fail').length >= 1);
  broken = false;
  await waitNewChild(sup, [a], system);
  t.is(events.at(-1), 'start a');
  await system.shutdown();
});

test('extraArguments reach a start function as starter.extra, at every (re)start', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  const seen: unknown[] = [];
  const extra = { pool: 'db' };
  const sup = await DynamicSupervisor.start(system, { extraArguments: extra });
  const r = await DynamicSupervisor.startChild(sup, {
    start: (starter) => {
      seen.push(starter.extra);
      t.is(starter.supervisor, sup);
      return starter.startLink(Worker, { id: `w-${(starter.extra as typeof extra).pool}`, events });
    },
  });
  t.is(r.status, 'ok');
  if (r.status !== 'ok') return;
  system.exit(r.ref, 'kill');
  await waitNewChild(sup, [r.ref], system);
  t.deepEqual(seen, [extra, extra]);
  t.is(seen[0], extra);
  t.deepEqual(events, ['start w-db', 'start w-db']);
  await system.shutdown();
});

test('a static supervisor hands no extra to start functions', async (t) => {
  const system = createSystem();
  const seen: unknown[] = [];
  await Supervisor.start(system, {
    children: [
      {
        id: 'f',
        start: (s) => {
          seen.push(s.extra);
          return s.startLink(Worker, { id: 'f', events: [] });
        },
      },
    ],
  });
  t.deepEqual(seen, [undefined]);
  await system.shutdown();
});

test('terminateChild by ref: ok, then not_found; not_found for a live actor that is not a child', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  const sup = await DynamicSupervisor.start(system);
  const a = await startOk(sup, dynSpec('a', events, { trap: true }));
  const b = await startOk(sup, dynSpec('b', events));
  const stranger = await system.spawn(Worker, { id: 's', events });
  t.is(await DynamicSupervisor.terminateChild(sup, a), 'ok');
  t.is(await exitOf(system, a), 'shutdown');
  t.is(await DynamicSupervisor.terminateChild(sup, a), 'not_found');
  t.is(await DynamicSupervisor.terminateChild(sup, stranger), 'not_found');
  t.true(system.isAlive(stranger), 'untouched');
  t.deepEqual(await childRefs(sup), [b]);
  t.deepEqual(events, ['start a', 'start b', 'start s', 'stop a shutdown'], 'a terminated child is not restarted');
  await system.shutdown();
});

test('startChild answers ignore and error as values and keeps nothing', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  const sup = await DynamicSupervisor.start(system);
  t.deepEqual(await DynamicSupervisor.startChild(sup, dynSpec('i', events, { ignore: () => true })), { status: 'ignore' });
  const e = await DynamicSupervisor.startChild(sup, dynSpec('e', events, { failInit: () => true }));
  t.is(e.status, 'error');
  t.deepEqual(await DynamicSupervisor.whichChildren(sup), []);
  await system.shutdown();
});

test('shutdown signals every child at once: all receive shutdown before any finishes', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  const g = gate();
  const sup = await DynamicSupervisor.start(system);
  const ids = ['a', 'b', 'c', 'd', 'e'];
  for (const id of ids) await startOk(sup, dynSpec(id, events, { trap: true, shutdown: 'infinity', terminateWait: () => g.promise }));
  events.length = 0;
  const stopped = system.stop(sup, 'shutdown', { timeout: Infinity });
  t.true(await until(() => only(events, 'stop').length === ids.length), 'every child entered terminate while the gate was closed');
  t.deepEqual(only(events, 'stopped'), []);
  t.true(system.isAlive(sup));
  g.open();
  await stopped;
  t.is(only(events, 'stopped').length, ids.length);
  t.is(system.getStatus(sup).exitReason, 'shutdown');
  await system.shutdown();
});

test('shutdown: children that do not stop in time are all killed by one timer', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  const sup = await DynamicSupervisor.start(system);
  const kids: ActorRef[] = [];
  for (const id of ['a', 'b', 'c']) kids.push(await startOk(sup, dynSpec(id, events, { trap: true, shutdown: 100, terminateWait: 'forever' })));
  const quick = await startOk(sup, dynSpec('q', events, { trap: true, shutdown: 100 }));
  await system.stop(sup, 'shutdown');
  for (const k of kids) t.is(await exitOf(system, k), 'killed');
  t.is(await exitOf(system, quick), 'shutdown');
  t.is(only(events, 'stop').length, 4, 'all were asked first');
  await system.shutdown();
});

test('a thousand children start and stop', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  const sup = await DynamicSupervisor.start(system);
  const kids: ActorRef[] = [];
  for (let i = 0; i < 1000; i++) kids.push(await startOk(sup, dynSpec(`w${i}`, events)));
  t.deepEqual(await DynamicSupervisor.countChildren(sup), { specs: 1000, active: 1000, supervisors: 0, workers: 1000 });
  t.is(new Set(kids).size, 1000);
  // Half by terminateChild, the rest with the supervisor.
  for (const k of kids.slice(0, 500)) t.is(await DynamicSupervisor.terminateChild(sup, k), 'ok');
  t.is((await DynamicSupervisor.countChildren(sup)).active, 500);
  await system.stop(sup, 'shutdown');
  t.true(kids.every((k) => !system.isAlive(k)));
  t.is(system.size, 0);
  await system.shutdown();
});

test('a dynamic supervisor in a tree: restarted by its parent, it comes back empty', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  const root = await Supervisor.start(system, { children: [DynamicSupervisor.childSpec({ intensity: 0 }, { id: 'dyn' })] });
  const dyn = (await refs(root))['dyn'] as unknown as DynRef;
  const a = await startOk(dyn, dynSpec('a', events));
  await startOk(dyn, dynSpec('b', events));
  t.deepEqual((await Supervisor.whichChildren(root)).map((c) => c.type), ['supervisor']);
  system.exit(a, 'kill');
  t.is(await exitOf(system, dyn), 'shutdown');
  const ok = await until(async () => {
    const r = (await refs(root))['dyn'];
    return r !== undefined && r !== dyn;
  });
  t.true(ok);
  const dyn2 = (await refs(root))['dyn'] as unknown as DynRef;
  t.deepEqual(await DynamicSupervisor.whichChildren(dyn2), []);
  await system.shutdown();
});

test('shutdown honours each child\'s own shutdown: a hung child with 100 ms is killed even beside an infinity child', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  const sup = await DynamicSupervisor.start(system);
  const hung = await startOk(sup, dynSpec('hung', events, { trap: true, shutdown: 100, terminateWait: 'forever' }));
  const slow = await startOk(sup, dynSpec('slow', events, { trap: true, shutdown: 'infinity', terminateWait: () => sleep(20) }));
  let done = false;
  const stopped = system.stop(sup, 'shutdown', { timeout: Infinity }).then(() => (done = true));
  t.true(await until(() => done, 10_000), 'the supervisor stopped: the hung child was killed after its 100 ms');
  await stopped;
  t.is(await exitOf(system, hung), 'killed');
  t.is(await exitOf(system, slow), 'shutdown');
  t.deepEqual(only(events, 'stopped'), ['stopped slow']);
  await system.shutdown();
});

test('a dynamic child whose restart answers ignore is forgotten', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  const sup = await DynamicSupervisor.start(system);
  const a = await startOk(sup, dynSpec('a', events, { ignore: (n) => n > 1 }));
  system.exit(a, 'kill');
  await exitOf(system, a);
  t.deepEqual(await DynamicSupervisor.whichChildren(sup), []);
  t.deepEqual(events, ['start a', 'ignore a']);
  t.true(system.isAlive(sup));
  await system.shutdown();
});

test('terminateChild of a child whose restart keeps failing, by the ref it crashed under: ok, removed, no more retries, its maxChildren slot freed (OTP-9549)', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  let broken = false;
  const sup = await DynamicSupervisor.start(system, { maxChildren: 1, intensity: 1_000_000, period: 600_000, backoff: { initialMs: 5, maxMs: 5 } });
  const a = await startOk(sup, dynSpec('a', events, { failInit: () => broken }));
  broken = true;
  system.exit(a, 'kill');
  await exitOf(system, a);
  t.true(await until(() => only(events, 'fail').length >= 2), 'its restart keeps failing');
  t.deepEqual(await childRefs(sup), ['restarting']);
  t.is(await DynamicSupervisor.terminateChild(sup, a), 'ok');
  t.deepEqual(await childRefs(sup), []);
  t.deepEqual(await DynamicSupervisor.countChildren(sup), { specs: 0, active: 0, supervisors: 0, workers: 0 });
  const fails = only(events, 'fail').length;
  await sleep(40);
  t.is(only(events, 'fail').length, fails, 'no retry after terminateChild');
  t.is(await DynamicSupervisor.terminateChild(sup, a), 'not_found', 'forgotten');
  const b = await DynamicSupervisor.startChild(sup, dynSpec('b', events));
  t.is(b.status, 'ok', 'the maxChildren slot is free again');
  await system.shutdown();
});
