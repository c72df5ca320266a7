import { call, cast, checkRef, type CallOptions } from '@arbor/core';
import type { AnyActorLogic, EventFromLogic, Snapshot, SnapshotFrom } from 'xstate';
import { checkCallOptions, checkEvent } from '../checks/checks.js';
import type { MachineProtocol, MachineRef } from './MachineProtocol.js';

/**
 * Sends an event to a machine actor (a cast: it returns at once). An event the machine
 * does not declare fails to compile; at run time, anything but an object with a string
 * `type` throws InvalidOptionError here, before it reaches (and would crash) the machine;
 * so does a `ref` that is not an ActorRef (core's one message, naming `sendEvent`).
 *
 * @example
 * sendEvent(light, { type: 'TIMER' });
 */
export function sendEvent<TLogic extends AnyActorLogic>(ref: MachineRef<TLogic>, event: EventFromLogic<TLogic>): void {
  checkRef('sendEvent', ref);
  checkEvent('sendEvent', event);
  cast<MachineProtocol<TLogic>>(ref, event);
}

/**
 * Sends an event and resolves with the snapshot once the machine has processed it.
 * Rejects with `CallExitError` (reason: `MachineFailedError`) if the event crashed it.
 *
 * @example
 * const s = await sendEventAndWait(order, { type: 'PAY', amount: 10 });
 * s.value; // 'paid'
 */
export function sendEventAndWait<TLogic extends AnyActorLogic>(
  ref: MachineRef<TLogic>,
  event: EventFromLogic<TLogic>,
  options?: CallOptions,
): Promise<SnapshotFrom<TLogic>> {
  try {
    checkRef('sendEventAndWait', ref);
    checkEvent('sendEventAndWait', event);
    checkCallOptions('sendEventAndWait', options);
  } catch (e) {
    return Promise.reject(e);
  }
  return call(ref as MachineRef<AnyActorLogic>, { type: 'send', event }, options) as Promise<SnapshotFrom<TLogic>>;
}

/**
 * The machine's current snapshot (state value, context, status), read between two events.
 *
 * @example
 * const { value, context } = await getSnapshot(order);
 */
export function getSnapshot<TLogic extends AnyActorLogic>(ref: MachineRef<TLogic>, options?: CallOptions): Promise<SnapshotFrom<TLogic>> {
  try {
    checkRef('getSnapshot', ref);
    checkCallOptions('getSnapshot', options);
  } catch (e) {
    return Promise.reject(e);
  }
  return call(ref as MachineRef<AnyActorLogic>, { type: 'getSnapshot' }, options) as Promise<SnapshotFrom<TLogic>>;
}

/**
 * The machine's persisted snapshot (xstate's `getPersistedSnapshot()`): JSON-safe when the
 * context is, and accepted back by a machine actor started from a store. Rejects with
 * xstate's error when it cannot persist the machine (an inline child actor); the actor
 * keeps running.
 *
 * @example
 * const saved = await getPersistedSnapshot(order);
 */
export function getPersistedSnapshot<TLogic extends AnyActorLogic>(ref: MachineRef<TLogic>, options?: CallOptions): Promise<Snapshot<unknown>> {
  try {
    checkRef('getPersistedSnapshot', ref);
    checkCallOptions('getPersistedSnapshot', options);
  } catch (e) {
    return Promise.reject(e);
  }
  return call(ref as MachineRef<AnyActorLogic>, { type: 'getPersistedSnapshot' }, options).then((r) => {
    if (r.status === 'ok') return r.snapshot;
    throw r.reason;
  });
}
