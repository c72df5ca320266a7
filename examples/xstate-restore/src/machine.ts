/**
 * examples/xstate-restore: an xstate machine as a supervised actor (@arbor/xstate).
 *
 * An order workflow runs under a one_for_one supervisor as a transient child with
 * `restartFrom: 'snapshot'`.
 * A bad event (a negative payment) makes the machine's action throw: the actor crashes
 * with a `MachineFailedError`, the supervisor restarts it, and the new run restores the
 * last snapshot before the crashing event (the cart and the payment state), so the order
 * goes on from there. Every figure in the returned {@link MachineSummary} is read from the
 * running system.
 */
import { createLogger, createSystem, Supervisor, type ActorSystem, type LogLevel } from '@arbor/core';
import { fromMachine, getSnapshot, machineChild, MachineFailedError, memorySnapshotStore, sendEvent, sendEventAndWait, type MachineRef } from '@arbor/xstate';
import { orderMachine } from './orderMachine.js';

/** What the machine scene observed. */
export interface MachineSummary {
  /** The state and cart before the crash. */
  readonly before: { readonly state: string; readonly items: readonly string[] };
  /** The reason the order actor exited with, formatted. */
  readonly crashReason: string;
  /** Whether the supervisor started a new actor under the same name. */
  readonly restarted: boolean;
  /** The state and cart the new actor restored. */
  readonly restored: { readonly state: string; readonly items: readonly string[]; readonly paid: number };
  /** `getStatus(ref).details` of the restored actor: the state value and status its formatStatus shows. */
  readonly statusDetails: Readonly<Record<string, string | number | boolean | null>>;
  /** The final state after paying in full and shipping, and the actor's exit reason. */
  readonly finalState: string;
  readonly finalExit: string;
}

const Order = fromMachine(orderMachine);
type OrderRef = MachineRef<typeof orderMachine>;

/** Runs the scene, printing what happens. */
export async function runMachine(print: (line: string) => void, options: { logLevel?: LogLevel } = {}): Promise<MachineSummary> {
  const system: ActorSystem = createSystem({ name: 'orders', logger: createLogger(options.logLevel) });
  try {
    print('');
    print('An xstate machine as a supervised actor, restored from its snapshot after a crash');
    const store = memorySnapshotStore();
    await Supervisor.start(system, {
      strategy: 'one_for_one',
      intensity: 3,
      period: 5000,
      children: [machineChild(Order, { id: 'order-42', restart: 'transient', restartFrom: 'snapshot', store, options: { name: 'order-42' } })],
    });
    const first = system.whereis('order-42') as OrderRef;
    sendEvent(first, { type: 'ADD_ITEM', sku: 'teapot', price: 30 });
    sendEvent(first, { type: 'ADD_ITEM', sku: 'cups', price: 12 });
    const s1 = await sendEventAndWait(first, { type: 'CHECKOUT' });
    print(`order-42 is in '${String(s1.value)}' with ${s1.context.items.join(', ')} (total ${s1.context.total})`);

    const exited = new Promise<unknown>((resolve) => system.monitor(first, ({ reason }) => resolve(reason)));
    print(`a bad event arrives: PAY -5`);
    sendEvent(first, { type: 'PAY', amount: -5 });
    const reason = await exited;
    const crashReason = reason instanceof MachineFailedError ? `${reason.code}: ${String((reason.error as Error).message)}` : String(reason);
    print(`the order actor crashed (${crashReason}); its supervisor restarts it from the snapshot saved before that event`);

    const second = await nextOrder(system, first);
    const s2 = await getSnapshot(second);
    print(`order-42 is back in '${String(s2.value)}' with ${s2.context.items.join(', ')}, paid ${s2.context.paid}`);
    const details = system.getStatus(second).details ?? {};
    print(`getStatus(order-42).details: ${Object.entries(details).map(([k, v]) => `${k}=${String(v)}`).join(' ')}`);

    const s3 = await sendEventAndWait(second, { type: 'PAY', amount: 42 });
    print(`PAY 42 -> '${String(s3.value)}'`);
    const done = new Promise<unknown>((resolve) => system.monitor(second, ({ reason }) => resolve(reason)));
    const s4 = await sendEventAndWait(second, { type: 'SHIP' });
    const finalExit = String(await done);
    print(`SHIP -> '${String(s4.value)}' (status ${s4.status}): the machine reached its final state and the actor exited '${finalExit}'`);
    return {
      before: { state: String(s1.value), items: s1.context.items },
      crashReason,
      restarted: second !== first,
      restored: { state: String(s2.value), items: s2.context.items, paid: s2.context.paid },
      statusDetails: { ...details },
      finalState: String(s4.value),
      finalExit,
    };
  } finally {
    await system.shutdown();
  }
}

/** Waits until the supervisor has registered a new order actor. */
async function nextOrder(system: ActorSystem, old: OrderRef): Promise<OrderRef> {
  for (let i = 0; i < 1000; i++) {
    const ref = system.whereis('order-42') as OrderRef | undefined;
    if (ref !== undefined && ref !== old && system.isAlive(ref)) return ref;
    await new Promise((r) => setTimeout(r, 1));
  }
  throw new Error('order-42 was not restarted');
}
