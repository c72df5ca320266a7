/**
 * Type tests of the extension API, Task and Agent: each `@ts-expect-error` line must fail
 * to compile. The runtime part checks the same values behave as typed.
 */
import test from 'ava';
import {
  Agent,
  Behaviour,
  call,
  cast,
  childSpec,
  Task,
  TaskSupervisor,
  type ActorRef,
  type AgentRef,
  type Call,
  type ProtocolOf,
  type StatusDetails,
  type TaskResult,
  type TaskSupervisorRef,
} from '../../src/index.js';
import { capturingSystem } from '../support/helpers.js';

interface GaugeProtocol {
  call: Call<'read', number>;
  cast: { type: 'set'; value: number };
}

/** A kind written on Behaviour: its protocol types its refs like a GenServer's. */
class Gauge extends Behaviour<GaugeProtocol, number, number> {
  override onInit(start: number) {
    this.state = start;
  }
  override onCall() {
    return this.state;
  }
  override onCast(msg: GaugeProtocol['cast']) {
    this.state = msg.value;
  }
  override formatStatus(): StatusDetails {
    return { value: this.state };
  }
}

class BadStatus extends Behaviour {
  // @ts-expect-error formatStatus values are strings, numbers, booleans or null
  override formatStatus() {
    return { when: new Date() };
  }
}

type _GaugeProtocol = ProtocolOf<Gauge>;
const _protocolIsGauge: _GaugeProtocol = {} as GaugeProtocol;

function compileOnly(gauge: ActorRef<GaugeProtocol>, counter: AgentRef<number>, tasks: TaskSupervisorRef, self: Behaviour<any, any, any>): void {
  void call(gauge, { type: 'read' }).then((n: number) => n);
  // @ts-expect-error the gauge has no 'reset' cast
  cast(gauge, { type: 'reset' });
  // @ts-expect-error the init argument of Gauge is a number
  void childSpec(Gauge, 'zero');

  // Agent<S>: the state type follows from the start function, and every function is checked against it.
  void Agent.get(counter, (n) => n.toFixed(1)).then((s: string) => s);
  // @ts-expect-error the state is a number, not a string
  void Agent.update(counter, (n: string) => n);
  // @ts-expect-error update must return the new state (a number)
  void Agent.update(counter, (n) => `${n}`);
  // @ts-expect-error getAndUpdate returns [reply, newState]
  void Agent.getAndUpdate(counter, (n) => n);
  void Agent.getAndUpdate(counter, (n) => [n > 0, n - 1] as const).then((b: boolean) => b);
  // @ts-expect-error cast returns the new state
  Agent.cast(counter, () => 'x');

  // Task<T>: the result type follows from the function.
  void Task.async(self, async () => ({ id: 1 })).then((task) => Task.await(task).then((v: { id: number }) => v));
  void TaskSupervisor.asyncNolink(tasks, () => 'text').then((task) => {
    // @ts-expect-error the task's value is a string
    void Task.await(task).then((v: number) => v);
    void Task.yield(task).then((r: TaskResult<string> | undefined) => r);
  });
}
void compileOnly;

test('an agent started from a typed function holds that type; a Behaviour kind is spawned and typed like a GenServer', async (t) => {
  const { system } = capturingSystem();
  const agent = await Agent.start(system, () => ({ names: ['a'] }));
  const names: string[] = await Agent.get(agent, (s) => s.names);
  t.deepEqual(names, ['a']);
  const gauge = await system.spawn(Gauge, 3);
  cast(gauge, { type: 'set', value: 9 });
  t.is(await call(gauge, { type: 'read' }), 9);
  t.deepEqual(system.getStatus(gauge).details, { value: 9 });
  void BadStatus;
  await system.shutdown();
});
