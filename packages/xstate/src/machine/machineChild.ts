import { childSpec, type ChildSpec, type RestartType, type Shutdown, type SpawnOptions } from '@arbor/core';
import type { AnyActorLogic, InputFrom } from 'xstate';
import { memorySnapshotStore, type SnapshotStore } from '../snapshot/SnapshotStore.js';
import type { MachineBehaviour } from './fromMachine.js';
import type { MachineActor } from './MachineActor.js';
import type { MachineStart, RestartFrom } from './MachineProtocol.js';

/** Options of {@link machineChild}: the child spec's fields and where the machine restarts from. */
export interface MachineChildOptions<TLogic extends AnyActorLogic> {
  /** The child's id, unique within the supervisor. */
  readonly id: string;
  /** The machine's input, on every start. */
  readonly input?: InputFrom<TLogic>;
  /**
   * `'initial'` (default): each restart starts from the machine's initial state.
   * `'snapshot'`: each restart restores the last good snapshot the previous run left in `store`.
   */
  readonly restartFrom?: RestartFrom;
  /** With `'snapshot'`: where snapshots live (default: an in-memory store made for this spec). */
  readonly store?: SnapshotStore;
  /** With `'snapshot'`: the key in `store` (default: `id`). */
  readonly key?: string;
  readonly restart?: RestartType;
  readonly shutdown?: Shutdown;
  readonly significant?: boolean;
  /** Spawn options of each start (a name, a mailbox bound). */
  readonly options?: SpawnOptions;
}

/**
 * The child spec of a machine actor, with its restart policy: from the initial state, or
 * from the last persisted snapshot (kept in a store that belongs to the spec, so it
 * outlives each run of the actor).
 *
 * @example
 * await Supervisor.start(system, {
 *   strategy: 'one_for_one', intensity: 3, period: 5000,
 *   children: [machineChild(Order, { id: 'order', restartFrom: 'snapshot', options: { name: 'order' } })],
 * });
 */
export function machineChild<TLogic extends AnyActorLogic>(behaviour: MachineBehaviour<TLogic>, options: MachineChildOptions<TLogic>): ChildSpec<MachineActor<TLogic>> {
  const { id, input, restartFrom, store, key, options: spawnOptions, ...fields } = options;
  const withInput = input === undefined ? {} : { input };
  const arg: MachineStart<TLogic> =
    restartFrom === 'snapshot' ? { ...withInput, restartFrom, store: store ?? memorySnapshotStore(), key: key ?? id } : { ...withInput, restartFrom: 'initial' };
  return childSpec(behaviour, arg, { id, ...fields, ...(spawnOptions === undefined ? {} : { options: spawnOptions }) });
}
