/**
 * A child start that times out (`startTimeout`) kills what it started, even an actor still
 * in its `init` (Elixir/OTP: a start timeout kills the child): nothing is left alive, linked
 * to the supervisor and listed nowhere.
 */
import test from 'ava';
import { ChildStartTimeoutError, createSystem, DynamicSupervisor, GenServer, Supervisor, type ActorRef, type ChildSpec } from '../../src/index.js';
import { sleep } from '../support/helpers.js';
import { until } from '../support/supervisorWorkers.js';

interface HangArg {
  /** Called with each started copy, before its init decides whether to hang. */
  readonly onInit: (ref: ActorRef) => void;
  /** True when this copy's init must never settle. */
  readonly hang: () => boolean;
}

interface HangerProtocol {
  cast: { type: 'crash' };
}

/** An actor whose init never settles when `hang()` says so; it crashes on a `crash` cast. */
class Hanger extends GenServer<HangerProtocol, undefined, HangArg> {
  override init({ onInit, hang }: HangArg): Promise<void> | void {
    onInit(this.self);
    if (hang()) return new Promise<void>(() => {});
  }
  override handleCast(): void {
    throw new Error('crash');
  }
}

test('startTimeout: a dynamic child whose init never settles is killed when its start times out', async (t) => {
  const system = createSystem();
  const sup = await DynamicSupervisor.start(system);
  const started: ActorRef[] = [];
  for (let i = 0; i < 5; i++) {
    const r = await DynamicSupervisor.startChild(sup, { startTimeout: 20, start: { behaviour: Hanger, arg: { onInit: (ref) => started.push(ref), hang: () => true } } });
    t.true(r.status === 'error' && r.reason instanceof ChildStartTimeoutError);
  }
  t.is(started.length, 5);
  t.deepEqual(
    started.map((ref) => system.isAlive(ref)),
    [false, false, false, false, false],
    'no hung actor is left alive',
  );
  t.deepEqual(
    started.map((ref) => system.getStatus(ref).exitReason),
    ['killed', 'killed', 'killed', 'killed', 'killed'],
  );
  t.is((await DynamicSupervisor.whichChildren(sup)).length, 0);
  t.true(system.isAlive(sup));
  await system.shutdown();
});

test('startTimeout: a static child whose restarts hang leaves no stuck copy alive; the restart that starts in time runs', async (t) => {
  const system = createSystem();
  const copies: ActorRef[] = [];
  // The first start is quick, the next two restarts hang, the fourth start is quick again.
  const spec: ChildSpec<Hanger> = {
    id: 'h',
    startTimeout: 30,
    start: { behaviour: Hanger, arg: { onInit: (ref) => copies.push(ref), hang: () => copies.length === 2 || copies.length === 3 } },
  };
  const sup = await Supervisor.start(system, { children: [spec], intensity: 10, period: 60 });
  const first = copies[0]!;
  system.cast(first as ActorRef<HangerProtocol>, { type: 'crash' });
  t.true(
    await until(async () => {
      const [entry] = await Supervisor.whichChildren(sup);
      return copies.length >= 4 && entry?.ref === copies[3];
    }),
    'the fourth start runs as the child',
  );
  t.is(copies.length, 4, 'no further start');
  t.false(system.isAlive(copies[1]!), 'the first hung restart was killed');
  t.false(system.isAlive(copies[2]!), 'the second hung restart was killed');
  t.is(system.getStatus(copies[1]!).exitReason, 'killed');
  t.is(system.getStatus(copies[2]!).exitReason, 'killed');
  t.true(system.isAlive(copies[3]!));
  t.true(system.isAlive(sup));
  await system.shutdown();
});

test('startTimeout: a start function that starts a child with starter.startLink and then hangs has that child killed; a later startLink starts nothing', async (t) => {
  const system = createSystem();
  const sup = await Supervisor.start(system, { children: [] });
  const started: ActorRef[] = [];
  const arg: HangArg = { onInit: (ref) => started.push(ref), hang: () => false };
  const r1 = await Supervisor.startChild(sup, {
    id: 'hangs-after',
    startTimeout: 20,
    start: async (s) => {
      await s.startLink(Hanger, arg);
      return new Promise<never>(() => {});
    },
  });
  t.true(r1.status === 'error' && r1.reason instanceof ChildStartTimeoutError);
  t.is(started.length, 1);
  t.false(system.isAlive(started[0]!), 'the child it started is killed at the timeout');
  t.is(system.getStatus(started[0]!).exitReason, 'killed');

  let late: unknown;
  const r2 = await Supervisor.startChild(sup, {
    id: 'starts-late',
    startTimeout: 20,
    start: async (s) => {
      await sleep(60);
      late = await s.startLink(Hanger, arg);
      return late as never;
    },
  });
  t.true(r2.status === 'error' && r2.reason instanceof ChildStartTimeoutError);
  t.true(await until(() => late !== undefined));
  t.like(late, { status: 'error' });
  t.true((late as { reason: unknown }).reason instanceof ChildStartTimeoutError);
  t.is(started.length, 1, 'the late startLink started no actor');
  t.deepEqual(await Supervisor.whichChildren(sup), []);
  t.true(system.isAlive(sup));
  await system.shutdown();
});
