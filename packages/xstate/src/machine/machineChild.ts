import { childSpec, InvalidOptionError, type ChildSpec, type RestartType, type Shutdown, type SpawnOptions } from '@arbor/core';
import type { AnyActorLogic, InputFrom } from 'xstate';
import { memorySnapshotStore, type SnapshotStore } from '../snapshot/SnapshotStore.js';
import type { MachineBehaviour } from './fromMachine.js';
import { checkKnownKeys, checkObject } from '../checks/checks.js';
import { checkStore } from '../snapshot/SnapshotStore.js';
import { MachineActor } from './MachineActor.js';
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

const OPTION_KEYS: readonly string[] = ['id', 'input', 'restartFrom', 'store', 'key', 'restart', 'shutdown', 'significant', 'options'];
/** SpawnOptions' keys (their values are checked by the spawn). */
const SPAWN_KEYS: readonly string[] = ['name', 'mailbox', 'trapExit'];
const RESTARTS: readonly unknown[] = ['permanent', 'transient', 'temporary'];

/**
 * The child spec of a machine actor, with its restart policy: from the initial state, or
 * from the last persisted snapshot (kept in a store that belongs to the spec, so it
 * outlives each run of the actor). Checked at the call: `behaviour` must come from
 * `fromMachine`, and an unknown option key, a `restartFrom` other than `'initial'` or
 * `'snapshot'`, a `store` or `key` without `restartFrom: 'snapshot'`, or a field of the
 * wrong kind throws InvalidOptionError (a typo must not silently restart from scratch).
 *
 * @example
 * await Supervisor.start(system, {
 *   strategy: 'one_for_one', intensity: 3, period: 5000,
 *   children: [machineChild(Order, { id: 'order', restartFrom: 'snapshot', options: { name: 'order' } })],
 * });
 */
export function machineChild<TLogic extends AnyActorLogic>(behaviour: MachineBehaviour<TLogic>, options: MachineChildOptions<TLogic>): ChildSpec<MachineActor<TLogic>> {
  checkChild(behaviour, options);
  const { id, input, restartFrom, store, key, options: spawnOptions, ...fields } = options;
  const withInput = input === undefined ? {} : { input };
  const arg: MachineStart<TLogic> =
    restartFrom === 'snapshot' ? { ...withInput, restartFrom, store: store ?? memorySnapshotStore(), key: key ?? id } : { ...withInput, restartFrom: 'initial' };
  return childSpec(behaviour, arg, { id, ...fields, ...(spawnOptions === undefined ? {} : { options: spawnOptions }) });
}

function checkChild(behaviour: unknown, options: unknown): void {
  if (typeof behaviour !== 'function' || !(behaviour.prototype instanceof MachineActor) || (behaviour as { logic?: unknown }).logic === undefined) {
    throw new InvalidOptionError('machineChild(behaviour)', 'a behaviour made by fromMachine(machine)', behaviour);
  }
  checkObject('machineChild options', options, "an object such as { id: 'order', restartFrom: 'snapshot' }");
  checkKnownKeys('machineChild', options as object, OPTION_KEYS);
  const o = options as Record<string, unknown>;
  if (typeof o['id'] !== 'string' || o['id'] === '') throw new InvalidOptionError('machineChild options.id', 'a non-empty string, unique within the supervisor', o['id']);
  const from = o['restartFrom'];
  if (from !== undefined && from !== 'initial' && from !== 'snapshot') {
    const near = typeof from === 'string' && (from.toLowerCase() === 'initial' || from.toLowerCase() === 'snapshot') ? ` (did you mean '${from.toLowerCase()}'?)` : '';
    throw new InvalidOptionError('machineChild options.restartFrom', `'initial' (the default) or 'snapshot'${near}`, from);
  }
  if (from !== 'snapshot') {
    for (const k of ['store', 'key']) {
      if (o[k] !== undefined) throw new InvalidOptionError(`machineChild options.${k}`, "left out unless restartFrom is 'snapshot' (it only applies then); add restartFrom: 'snapshot'", o[k]);
    }
  }
  if (o['store'] !== undefined) checkStore('machineChild options.store', o['store']);
  if (o['key'] !== undefined && (typeof o['key'] !== 'string' || o['key'] === '')) throw new InvalidOptionError('machineChild options.key', 'a non-empty string (default: the id)', o['key']);
  if (o['restart'] !== undefined && !RESTARTS.includes(o['restart'])) throw new InvalidOptionError('machineChild options.restart', "'permanent', 'transient' or 'temporary'", o['restart']);
  if (o['significant'] !== undefined && typeof o['significant'] !== 'boolean') throw new InvalidOptionError('machineChild options.significant', 'a boolean', o['significant']);
  const shutdown = o['shutdown'];
  if (shutdown !== undefined && shutdown !== 'brutal_kill' && shutdown !== 'infinity' && !(typeof shutdown === 'number' && shutdown >= 0)) {
    throw new InvalidOptionError('machineChild options.shutdown', "a number of milliseconds >= 0, 'brutal_kill' or 'infinity'", shutdown);
  }
  if (o['options'] !== undefined) {
    checkObject('machineChild options.options', o['options'], '{ name?, mailbox?, trapExit? } spawn options or undefined');
    checkKnownKeys('machineChild options.options', o['options'] as object, SPAWN_KEYS);
  }
}
