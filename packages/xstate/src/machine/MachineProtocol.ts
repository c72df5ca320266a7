import type { ActorRef, Call } from '@arbor/core';
import type { AnyActorLogic, EventFromLogic, InputFrom, Snapshot, SnapshotFrom } from 'xstate';
import type { SnapshotStore } from '../snapshot/SnapshotStore.js';

/**
 * What a machine actor accepts: the machine's events as casts (an event the machine does
 * not declare fails to compile), and three calls: the current snapshot, the persisted
 * snapshot (as a {@link PersistedSnapshotResult}), and `send` (an event, answered with the snapshot once it is processed).
 *
 * @example
 * const ref: MachineRef<typeof light> = await system.spawn(Light, {});
 * cast(ref, { type: 'TIMER' });
 * const s = await call(ref, { type: 'getSnapshot' }); // SnapshotFrom<typeof light>
 */
export interface MachineProtocol<TLogic extends AnyActorLogic> {
  cast: EventFromLogic<TLogic>;
  call:
    | Call<'getSnapshot', SnapshotFrom<TLogic>>
    | Call<'getPersistedSnapshot', PersistedSnapshotResult>
    | Call<'send', SnapshotFrom<TLogic>, { event: EventFromLogic<TLogic> }>;
}

/**
 * The answer to a `getPersistedSnapshot` call: xstate cannot persist every machine (an
 * inline child actor, for one), and a read must not crash the actor, so the failure is a value.
 *
 * @example
 * const r = await call(ref, { type: 'getPersistedSnapshot' });
 * if (r.status === 'ok') save(r.snapshot);
 */
export type PersistedSnapshotResult = { readonly status: 'ok'; readonly snapshot: Snapshot<unknown> } | { readonly status: 'error'; readonly reason: unknown };

/**
 * The ref of a machine actor running `TLogic`.
 *
 * @example
 * function nudge(ref: MachineRef<typeof light>) { sendEvent(ref, { type: 'TIMER' }); }
 */
export type MachineRef<TLogic extends AnyActorLogic> = ActorRef<MachineProtocol<TLogic>>;

/** Where a machine actor starts on each (re)start: the machine's initial state, or the last persisted snapshot. */
export type RestartFrom = 'initial' | 'snapshot';

/**
 * The start argument of a machine actor: the machine's `input`, and where it starts.
 * With `restartFrom: 'snapshot'` every start (the first and each restart) loads `key` from
 * `store`, and the actor saves its last good snapshot there when it exits, however it exits.
 *
 * @example
 * await system.spawn(Order, { input: { id: 7 } });
 * await system.spawn(Order, { restartFrom: 'snapshot', store, key: 'order-7' });
 */
export type MachineStart<TLogic extends AnyActorLogic> = { readonly input?: InputFrom<TLogic> } & (
  | { readonly restartFrom?: 'initial' }
  | { readonly restartFrom: 'snapshot'; readonly store: SnapshotStore; readonly key: string }
);
