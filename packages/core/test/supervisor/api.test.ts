/**
 * The supervisor API outcomes (reference semantics §3): startChild, restartChild,
 * terminateChild, deleteChild, whichChildren, countChildren, getChildSpec. (Answers while
 * a child is restarting are in failedRestarts.test.ts.)
 */
import test from 'ava';
import { createSystem, DynamicSupervisor, GenServer, InvalidOptionError, NoProcError, Supervisor, type ActorRef, type Call, type ChildEntry, type SupervisorDef, type SupervisorProtocol } from '../../src/index.js';
import { exitChild, exitOf, refOf, refs, worker } from '../support/supervisorWorkers.js';

test('startChild: ok with a running ref, appended after the init children', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  const sup = await Supervisor.start(system, { children: [worker('a', events)] });
  const r = await Supervisor.startChild(sup, worker('b', events));
  t.is(r.status, 'ok');
  if (r.status !== 'ok') return;
  t.true(system.isAlive(r.ref));
  t.deepEqual(await refs(sup), { a: await refOf(sup, 'a'), b: r.ref });
  t.is(system.getStatus(r.ref).parent, sup.id);
  t.deepEqual(events, ['start a', 'start b']);
  await system.shutdown();
});

test('startChild: already_started(ref) for a running id, already_present for a spec with no actor', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  const sup = await Supervisor.start(system, { children: [worker('a', events), worker('t', events, { restart: 'transient' })] });
  const a = await refOf(sup, 'a');
  t.deepEqual(await Supervisor.startChild(sup, worker('a', events)), { status: 'already_started', ref: a });
  await exitOf(system, await exitChild(system, sup, 't', 'normal'));
  t.deepEqual(await Supervisor.startChild(sup, worker('t', events)), { status: 'already_present' });
  await Supervisor.terminateChild(sup, 'a');
  t.deepEqual(await Supervisor.startChild(sup, worker('a', events)), { status: 'already_present' });
  t.deepEqual(events, ['start a', 'start t', 'stop t normal'], 'nothing was started by those calls');
  await system.shutdown();
});

test('startChild: error when the child fails to start (the spec is not kept), ignore keeps a non-temporary spec', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  const sup = await Supervisor.start(system, { children: [] });
  const e = await Supervisor.startChild(sup, worker('bad', events, { failInit: () => true }));
  t.is(e.status, 'error');
  t.regex(String(e.status === 'error' ? e.reason : ''), /init of bad failed/);
  t.is(await Supervisor.getChildSpec(sup, 'bad'), 'not_found');

  const ig = await Supervisor.startChild(sup, worker('ig', events, { ignore: () => true }));
  t.deepEqual(ig, { status: 'ignore' });
  t.deepEqual(await refs(sup), { ig: undefined }, 'a permanent ignored child keeps its spec');
  const igTmp = await Supervisor.startChild(sup, worker('igt', events, { ignore: () => true, restart: 'temporary' }));
  t.deepEqual(igTmp, { status: 'ignore' });
  t.deepEqual(await refs(sup), { ig: undefined }, 'a temporary ignored child is dropped');
  t.true(system.isAlive(sup));
  await system.shutdown();
});

test('restartChild: ok after terminateChild, running, not_found, and the start outcome (error, ignore)', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  let fail = false;
  let ign = false;
  const sup = await Supervisor.start(system, { children: [worker('a', events, { failInit: () => fail, ignore: () => ign })] });
  const a = await refOf(sup, 'a');
  t.deepEqual(await Supervisor.restartChild(sup, 'a'), { status: 'running' });
  t.deepEqual(await Supervisor.restartChild(sup, 'nope'), { status: 'not_found' });

  t.is(await Supervisor.terminateChild(sup, 'a'), 'ok');
  const r = await Supervisor.restartChild(sup, 'a');
  t.is(r.status, 'ok');
  if (r.status === 'ok') {
    t.not(r.ref, a);
    t.is(await refOf(sup, 'a'), r.ref);
  }

  await Supervisor.terminateChild(sup, 'a');
  fail = true;
  const e = await Supervisor.restartChild(sup, 'a');
  t.is(e.status, 'error');
  t.deepEqual(await refs(sup), { a: undefined });
  fail = false;
  ign = true;
  t.deepEqual(await Supervisor.restartChild(sup, 'a'), { status: 'ignore' });
  t.deepEqual(await refs(sup), { a: undefined });
  await system.shutdown();
});

test('terminateChild: ok (even if already stopped), the spec is kept unless temporary; not_found for an unknown id', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  const sup = await Supervisor.start(system, {
    children: [worker('p', events, { trap: true }), worker('t', events, { trap: true, restart: 'transient' }), worker('tmp', events, { trap: true, restart: 'temporary' })],
  });
  const before = await refs(sup);
  events.length = 0;
  for (const id of ['p', 't', 'tmp']) t.is(await Supervisor.terminateChild(sup, id), 'ok');
  t.deepEqual(events, ['stop p shutdown', 'stop t shutdown', 'stop tmp shutdown']);
  for (const id of ['p', 't', 'tmp']) t.is(await exitOf(system, before[id] as never), 'shutdown');
  t.deepEqual(await refs(sup), { p: undefined, t: undefined }, 'the temporary spec is deleted');
  t.is(await Supervisor.terminateChild(sup, 'p'), 'ok', 'already stopped: still ok');
  t.is(await Supervisor.terminateChild(sup, 'tmp'), 'not_found');
  t.is(await Supervisor.terminateChild(sup, 'nope'), 'not_found');
  t.true(system.isAlive(sup));
  t.deepEqual(events, ['stop p shutdown', 'stop t shutdown', 'stop tmp shutdown'], 'a terminated child is not restarted');
  await system.shutdown();
});

test('deleteChild: only a stopped child; running and not_found otherwise; the id can be reused', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  const sup = await Supervisor.start(system, { children: [worker('a', events), worker('b', events)] });
  t.is(await Supervisor.deleteChild(sup, 'a'), 'running');
  t.is(await Supervisor.deleteChild(sup, 'nope'), 'not_found');
  await Supervisor.terminateChild(sup, 'a');
  t.is(await Supervisor.deleteChild(sup, 'a'), 'ok');
  t.is(await Supervisor.deleteChild(sup, 'a'), 'not_found');
  t.is(await Supervisor.getChildSpec(sup, 'a'), 'not_found');
  t.deepEqual(Object.keys(await refs(sup)), ['b']);
  t.deepEqual(await Supervisor.restartChild(sup, 'a'), { status: 'not_found' });
  const again = await Supervisor.startChild(sup, worker('a', events));
  t.is(again.status, 'ok');
  t.deepEqual(Object.keys(await refs(sup)), ['b', 'a'], 'a new child goes last');
  await system.shutdown();
});

test('whichChildren and countChildren: ids, refs, types, restart types; counts of specs, active, supervisors, workers', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  const sup = await Supervisor.start(system, {
    children: [
      worker('w1', events),
      Supervisor.childSpec({ children: [worker('inner', events)] }, { id: 'sub' }),
      worker('w2', events, { restart: 'transient' }),
      worker('w3', events, { restart: 'temporary' }),
    ],
  });
  await exitOf(system, await exitChild(system, sup, 'w2', 'normal'));
  const children: ChildEntry[] = await Supervisor.whichChildren(sup);
  t.deepEqual(
    children.map(({ id, type, restart }) => ({ id, type, restart })),
    [
      { id: 'w1', type: 'worker', restart: 'permanent' },
      { id: 'sub', type: 'supervisor', restart: 'permanent' },
      { id: 'w2', type: 'worker', restart: 'transient' },
      { id: 'w3', type: 'worker', restart: 'temporary' },
    ],
  );
  t.is(children[2]!.ref, undefined);
  for (const i of [0, 1, 3]) t.true(system.isAlive(children[i]!.ref as ActorRef));
  t.deepEqual(await Supervisor.countChildren(sup), { specs: 4, active: 3, supervisors: 1, workers: 3 });
  t.deepEqual(await Supervisor.countChildren(children[1]!.ref as ActorRef<SupervisorProtocol>), { specs: 1, active: 1, supervisors: 0, workers: 1 });
  await system.shutdown();
});

test('getChildSpec: the spec with its defaults filled in, or not_found', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  const spec = worker('a', events, { shutdown: 'brutal_kill' });
  const sup = await Supervisor.start(system, { children: [spec] });
  t.deepEqual(await Supervisor.getChildSpec(sup, 'a'), { id: 'a', start: spec.start, restart: 'permanent', shutdown: 'brutal_kill', type: 'worker', significant: false });
  t.is(await Supervisor.getChildSpec(sup, 'b'), 'not_found');
  const added = worker('b', events);
  await Supervisor.startChild(sup, added);
  t.deepEqual(await Supervisor.getChildSpec(sup, 'b'), { id: 'b', start: added.start, restart: 'permanent', shutdown: 5000, type: 'worker', significant: false });
  await system.shutdown();
});

test('the API works from inside an actor with this.call, and rejects with NoProcError on a dead supervisor', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  interface AskerProtocol {
    call: Call<'ask', string[], { sup: ActorRef<SupervisorProtocol> }>;
  }
  class Asker extends GenServer<AskerProtocol> {
    override async handleCall(req: AskerProtocol['call']): Promise<string[]> {
      const children = await this.call(req.sup, { type: 'which_children' });
      return children.map((c) => c.id);
    }
  }
  const sup = await Supervisor.start(system, { children: [worker('a', events), worker('b', events)] });
  const asker = await system.spawn(Asker, undefined);
  t.deepEqual(await system.call(asker, { type: 'ask', sup }), ['a', 'b']);
  await system.stop(sup, 'shutdown');
  await t.throwsAsync(Supervisor.whichChildren(sup), { instanceOf: NoProcError });
  await t.throwsAsync(Supervisor.startChild(sup, worker('c', events)), { instanceOf: NoProcError });
  await system.shutdown();
});

/** Starts a supervisor (static or dynamic) linked to itself in init and keeps the EXIT messages it gets. */
class Owner extends GenServer<{ call: Call<'sup', ActorRef> | Call<'exits', unknown[]> }, unknown[], { dynamic: boolean; def: SupervisorDef }> {
  sup!: ActorRef;
  override async init({ dynamic, def }: { dynamic: boolean; def: SupervisorDef }): Promise<void> {
    this.state = [];
    this.trapExit(true);
    this.sup = dynamic ? await DynamicSupervisor.startLink(this, { intensity: 0 }) : await Supervisor.startLink(this, def);
  }
  override handleCall(req: { type: 'sup' } | { type: 'exits' }): ActorRef | unknown[] {
    return req.type === 'sup' ? this.sup : this.state;
  }
  override handleInfo(msg: unknown): void {
    this.state.push(msg);
  }
}

test('Supervisor.startLink(this, def): the calling actor is the parent and gets the supervisor’s EXIT when it gives up; its exit stops the supervisor', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  const owner = await system.spawn(Owner, { dynamic: false, def: { intensity: 0, children: [worker('a', events, { trap: true })] } });
  const sup = (await system.call(owner, { type: 'sup' })) as ActorRef<SupervisorProtocol>;
  t.is(system.getStatus(sup).parent, owner.id);
  t.true(system.getStatus(owner).links.includes(sup.id));
  await exitChild(system, sup, 'a', 'crash');
  t.is(await exitOf(system, sup), 'shutdown', 'intensity 0: it gives up');
  const exits = (await system.call(owner, { type: 'exits' })) as { type: string; from: unknown; reason: unknown }[];
  t.like(exits.find((m) => m.type === 'EXIT' && m.from === sup), { reason: 'shutdown' });

  // The other way round: the parent's exit stops the supervisor in order (its trapping child's terminate runs).
  const events2: string[] = [];
  const owner2 = await system.spawn(Owner, { dynamic: false, def: { children: [worker('b', events2, { trap: true })] } });
  const sup2 = (await system.call(owner2, { type: 'sup' })) as ActorRef;
  system.exit(owner2, 'kill');
  t.is(await exitOf(system, sup2), 'killed');
  t.deepEqual(events2, ['start b', 'stop b shutdown']);
  await system.shutdown();
});

test('DynamicSupervisor.startLink(this): linked to the calling actor, its parent; startLink outside an actor rejects with InvalidOptionError', async (t) => {
  const system = createSystem();
  const owner = await system.spawn(Owner, { dynamic: true, def: { children: [] } });
  const dyn = (await system.call(owner, { type: 'sup' })) as ActorRef;
  t.is(system.getStatus(dyn).parent, owner.id);
  await system.stop(owner, 'shutdown');
  t.is(await exitOf(system, dyn), 'shutdown');
  await t.throwsAsync(Supervisor.startLink({} as never, { children: [] }), { instanceOf: InvalidOptionError });
  await t.throwsAsync(DynamicSupervisor.startLink(new Owner(), {}), { instanceOf: InvalidOptionError });
  await system.shutdown();
});
