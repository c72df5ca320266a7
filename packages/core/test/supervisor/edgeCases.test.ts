/**
 * Edge cases found in review: children started outside `startLink`, a supervisor that
 * dies while a start function runs, restarts that overlap under backoff, significant
 * children being restarted, and childSpec overrides left undefined.
 */
import test from 'ava';
import { childSpec, createSystem, GenServer, Supervisor, type ActorRef, type ChildSpec, type ChildSpecOverrides, type SupervisorProtocol } from '../../src/index.js';
import { sleep } from '../support/helpers.js';
import { exitChild, exitOf, only, refs, until, worker, Worker } from '../support/supervisorWorkers.js';

test('a nested supervisor a start function started with Supervisor.start is adopted: its parent stops it in order', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  const inner: ChildSpec = {
    id: 'inner',
    type: 'supervisor',
    // Not through starter.startLink: the supervisor links and adopts it afterwards.
    start: async () => ({ status: 'ok', ref: await Supervisor.start(system, { children: [worker('a', events, { trap: true }), worker('b', events, { trap: true })] }) }),
  };
  const root = await Supervisor.start(system, { children: [inner] });
  const innerRef = (await refs(root))['inner'] as ActorRef<SupervisorProtocol>;
  t.is(system.getStatus(innerRef).parent, root.id);
  // With shutdown 'infinity' this would wait forever if the inner supervisor took the
  // parent's shutdown for an ordinary EXIT message.
  await system.stop(root, 'shutdown', { timeout: 2000 });
  t.deepEqual(only(events, 'stop'), ['stop b shutdown', 'stop a shutdown']);
  t.false(system.isAlive(innerRef));
  await system.shutdown();
});

test('a supervisor killed while a start function runs: the child it then starts does not outlive it', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let started: ActorRef | undefined;
  const spec: ChildSpec = {
    id: 'late',
    start: async () => {
      await gate;
      started = await system.spawn(Worker, { id: 'late', events });
      return { status: 'ok', ref: started };
    },
  };
  const sup = await Supervisor.start(system, { children: [] });
  const pending = Supervisor.startChild(sup, spec);
  await sleep(5);
  system.exit(sup, 'kill');
  release();
  await t.throwsAsync(pending, { code: 'exit' });
  t.true(await until(() => started !== undefined && !system.isAlive(started)));
  t.is(system.getStatus(started!).exitReason, 'killed');
  await system.shutdown();
});

test('rest_for_one with backoff: a restart pending for a later child is taken over by an earlier child crash, so they start in order', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  const sup = await Supervisor.start(system, {
    strategy: 'rest_for_one',
    intensity: 100,
    // Long enough that a's crash below surely lands while b still waits, on a loaded machine too.
    backoff: { initialMs: 1000, maxMs: 1000 },
    children: [worker('a', events), worker('b', events), worker('c', events)],
  });
  await exitChild(system, sup, 'b', 'crash');
  t.true(await until(async () => (await refs(sup))['b'] === 'restarting'));
  // a crashes while b waits for its delayed restart.
  events.length = 0;
  await exitChild(system, sup, 'a', 'crash');
  t.true(await until(async () => Object.values(await refs(sup)).every((r) => r !== undefined && r !== 'restarting')));
  await sleep(1100); // past b's old delay: its cancelled retry must not start anything again
  t.deepEqual(only(events, 'start'), ['start a', 'start b', 'start c']);
  await system.shutdown();
});

test('all_significant: a significant child being restarted still counts as present', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  let broken = false;
  const sup = await Supervisor.start(system, {
    autoShutdown: 'all_significant',
    intensity: 100,
    backoff: { initialMs: 20, maxMs: 20 },
    children: [
      worker('a', events, { restart: 'transient', significant: true }),
      worker('b', events, { restart: 'transient', significant: true, failInit: () => broken }),
    ],
  });
  broken = true;
  await exitChild(system, sup, 'b', 'crash');
  t.true(await until(() => only(events, 'fail').length >= 1));
  await exitChild(system, sup, 'a', 'normal');
  await sleep(30);
  t.true(system.isAlive(sup), 'b is restarting, so not every significant child is gone');
  broken = false;
  t.true(await until(async () => system.isAlive(sup) && (await refs(sup))['b'] !== 'restarting'));
  await exitChild(system, sup, 'b', 'normal');
  t.true(await until(() => !system.isAlive(sup)));
  await system.shutdown();
});

test('childSpec overrides left undefined keep the spec’s own values', (t) => {
  class Temp extends Worker {
    static childSpec(arg: { id: string; events: string[] }): ChildSpec {
      return { id: 'temp', start: { behaviour: Temp, arg }, restart: 'temporary', shutdown: 100 };
    }
  }
  const opts: { restart?: 'permanent'; id?: string } = {};
  // What loosely typed code (or JavaScript) passes: fields present but undefined.
  const overrides = { id: opts.id, restart: opts.restart, shutdown: 200 } as ChildSpecOverrides;
  const spec = childSpec(Temp, { id: 'x', events: [] }, overrides);
  t.is(spec.id, 'temp');
  t.is(spec.restart, 'temporary');
  t.is(spec.shutdown, 200);
});

/** Unlinks itself from its parent in init (supervisor_SUITE `child_unlink`), then crashes on a cast. */
class Unlinker extends GenServer<{ cast: { type: 'crash' } }> {
  override init(): void {
    const parent = this.system.lookup(this.system.getStatus(this.self).parent!)!;
    this.unlink(parent);
  }
  override handleCast(): void {
    throw new Error('unlinked child crashed');
  }
}

test('a child that unlinks itself in init stays unlinked: its crash is not seen and whichChildren keeps the dead ref (OTP child_unlink)', async (t) => {
  const system = createSystem();
  const viaFunction: ChildSpec = { id: 'fn', start: (s) => s.startLink(Unlinker, undefined) };
  const sup = await Supervisor.start(system, { children: [{ id: 'beh', start: { behaviour: Unlinker, arg: undefined } }, viaFunction] });
  for (const id of ['beh', 'fn']) {
    const ref = (await refs(sup))[id] as ActorRef;
    t.false(system.getStatus(ref).links.includes(sup.id), `${id}: not linked again after its start`);
    const gone = exitOf(system, ref);
    system.cast(ref as ActorRef<{ cast: { type: 'crash' } }>, { type: 'crash' });
    await gone;
    await sleep(10);
    t.is((await refs(sup))[id], ref, `${id}: the supervisor did not see the crash and keeps the dead ref`);
  }
  t.true(system.isAlive(sup));
  await system.shutdown();
});
