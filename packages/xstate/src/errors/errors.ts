import { ArborError, formatReason } from '@arbor/core';

/**
 * The exit reason of a machine actor whose xstate actor failed: a throwing action or
 * guard, an error snapshot, or a child's error the machine did not handle (no `onError`).
 * `error` is what xstate caught; the supervisor sees this reason and applies its strategy.
 *
 * @example
 * system.monitor(ref, ({ reason }) => {
 *   if (reason instanceof MachineFailedError) console.log(reason.machine, reason.error);
 * });
 */
export class MachineFailedError extends ArborError {
  readonly code = 'machine_failed' as const;
  constructor(
    /** The behaviour's name (`fromMachine`'s `name`, by default the machine's id). */
    readonly machine: string,
    /** The error xstate caught. */
    readonly error: unknown,
  ) {
    super(`machine ${machine} failed: ${formatReason(error)}`, { cause: error });
  }
}

/**
 * Two live machine actors were given the same snapshot store and key: each would overwrite
 * the other's snapshot. Give each child its own `key` (machineChild uses its id).
 *
 * @example
 * machineChild(Order, { id: 'order-1', restartFrom: 'snapshot', store, key: 'order-1' })
 */
export class SnapshotKeyInUseError extends ArborError {
  readonly code = 'snapshot_key_in_use' as const;
  constructor(readonly key: string) {
    super(`snapshot key ${JSON.stringify(key)} is in use by a live machine actor on the same store; give each machine actor its own key`);
  }
}
