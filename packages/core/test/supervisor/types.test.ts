/**
 * Type tests of the supervisor API: each `@ts-expect-error` line must fail to compile, so
 * the build fails if the typing ever lets a wrong child spec, argument or ref through.
 */
import test from 'ava';
import {
  childSpec,
  createSystem,
  DynamicSupervisor,
  Supervisor,
  type ActorRef,
  type ChildSpec,
  type DynamicSupervisorProtocol,
  type RestartChildResult,
  type StartChildResult,
  type SupervisorDef,
  type SupervisorProtocol,
} from '../../src/index.js';
import { Counter, type CounterProtocol } from '../support/actors.js';
import { Worker } from '../support/supervisorWorkers.js';

class Pool extends Supervisor<{ size: number }> {
  protected override configure(arg: { size: number }): SupervisorDef {
    return { children: Array.from({ length: arg.size }, (_, i) => childSpec(Counter, i, { id: `c${i}` })) };
  }
}

function compileOnly(sup: ActorRef<SupervisorProtocol>, dyn: ActorRef<DynamicSupervisorProtocol>, counter: ActorRef<CounterProtocol>): void {
  const system = createSystem();

  // Child specs: the argument is checked against the behaviour's init.
  // @ts-expect-error Counter's init takes a number
  void childSpec(Counter, 'wrong arg type');
  // @ts-expect-error Worker's init takes a WorkerArg
  void childSpec(Worker, { id: 'w' });
  // @ts-expect-error 'sometimes' is not a restart type
  void childSpec(Counter, 0, { restart: 'sometimes' });
  // @ts-expect-error 'never' is not a shutdown
  void childSpec(Counter, 0, { shutdown: 'never' });
  // @ts-expect-error 'manager' is not a child type
  void childSpec(Counter, 0, { type: 'manager' });
  // @ts-expect-error significant is a boolean
  void childSpec(Counter, 0, { significant: 'yes' });
  // @ts-expect-error a typed spec checks its inline argument too
  const _spec: ChildSpec<Counter> = { id: 'c', start: { behaviour: Counter, arg: 'zero' } };
  // @ts-expect-error the id is a string
  const _spec2: ChildSpec = { id: 1, start: { behaviour: Counter, arg: 0 } };

  // Supervisor definitions and arguments.
  // @ts-expect-error a supervisor starts from a definition
  void Supervisor.start(system, 42);
  // @ts-expect-error 'one_for_some' is not a strategy
  void Supervisor.start(system, { strategy: 'one_for_some', children: [] });
  // @ts-expect-error 'sometimes' is not an autoShutdown
  void Supervisor.start(system, { autoShutdown: 'sometimes', children: [] });
  // @ts-expect-error children are required
  void Supervisor.start(system, { strategy: 'one_for_all' });
  // @ts-expect-error Supervisor.childSpec takes a definition too
  void Supervisor.childSpec({ size: 2 });
  // @ts-expect-error a subclass takes its own argument
  void Pool.start(system, { children: [] });
  void Pool.start(system, { size: 2 });
  void Pool.childSpec({ size: 2 }, { id: 'pool' });
  // Inline start functions get a typed starter.
  void Supervisor.start(system, {
    children: [
      {
        id: 'f',
        // @ts-expect-error the starter checks the argument against the behaviour
        start: (s) => s.startLink(Counter, 'zero'),
      },
    ],
  });
  // @ts-expect-error maxChildren is a number
  void DynamicSupervisor.start(system, { maxChildren: 'ten' });

  // Refs: the API takes a supervisor's ref, not any actor's.
  // @ts-expect-error a counter is not a supervisor
  void Supervisor.startChild(counter, childSpec(Counter, 0));
  // @ts-expect-error a counter is not a supervisor
  void Supervisor.whichChildren(counter);
  // @ts-expect-error a dynamic supervisor has no restartChild by id
  void Supervisor.restartChild(dyn, 'c');
  // @ts-expect-error a static supervisor's ref is not a dynamic supervisor's
  void DynamicSupervisor.startChild(sup, { start: { behaviour: Counter, arg: 0 } });
  // @ts-expect-error a dynamic supervisor's children are terminated by ref
  void DynamicSupervisor.terminateChild(dyn, 'c');
  // @ts-expect-error child ids are strings
  void Supervisor.terminateChild(sup, 1);

  void (async () => {
    const r: StartChildResult = await Supervisor.startChild(sup, childSpec(Counter, 0));
    // @ts-expect-error the ref exists only once the status is narrowed
    void r.ref;
    if (r.status === 'ok' || r.status === 'already_started') void r.ref.id;
    const rr: RestartChildResult = await Supervisor.restartChild(sup, 'c');
    // @ts-expect-error 'already_present' is not a restartChild answer
    if (rr.status === 'already_present') return;
    const d: 'ok' | 'running' | 'restarting' | 'not_found' = await Supervisor.deleteChild(sup, 'c');
    void d;
    // @ts-expect-error terminateChild answers 'ok' | 'not_found'
    const _x: 'running' = await Supervisor.terminateChild(sup, 'c');
  })();
}
void compileOnly;

test('typed specs and refs work at run time as typed', async (t) => {
  const system = createSystem();
  const pool = await Pool.start(system, { size: 2 });
  const children = await Supervisor.whichChildren(pool);
  t.deepEqual(
    children.map((c) => c.id),
    ['c0', 'c1'],
  );
  const c1 = children[1]!.ref as ActorRef<CounterProtocol>;
  t.is(await system.call(c1, { type: 'get' }), 1);
  const sup = await Supervisor.start(system, {
    children: [{ id: 'f', start: (s) => s.startLink(Counter, 7) }],
  });
  const f = (await Supervisor.whichChildren(sup))[0]!.ref as ActorRef<CounterProtocol>;
  t.is(await system.call(f, { type: 'get' }), 7);
  await system.shutdown();
});
