import { Behaviour, formatReason, InvalidOptionError, type ExitReason, type StatusDetails } from '@arbor/core';
import { createActor, type Actor, type AnyActorLogic, type AnyActorRef, type EventFromLogic, type Snapshot, type SnapshotFrom } from 'xstate';
import { MachineFailedError } from '../errors/errors.js';
import { claimKey } from '../snapshot/lineage.js';
import type { SnapshotStore } from '../snapshot/SnapshotStore.js';
import type { MachineProtocol, MachineStart, PersistedSnapshotResult } from './MachineProtocol.js';
import { TrackingClock } from './TrackingClock.js';

const NO_FAILURE: unique symbol = Symbol('arbor.xstate.noFailure');
const STOP_EVENT = { type: 'xstate.stop' } as const;

/** The persistence of a `restartFrom: 'snapshot'` actor. */
interface Persistence {
  readonly store: SnapshotStore;
  readonly key: string;
  readonly release: () => void;
}

/**
 * The behaviour kind behind {@link fromMachine}, built on core's extension base
 * (`Behaviour`): an actor that owns one xstate actor. Casts go straight to `actor.send`;
 * the state (`getState(ref)`) is the last good snapshot; `formatStatus` shows the state
 * value and status in `getStatus` and the dump; any xstate error stops the actor with a
 * {@link MachineFailedError}; whenever the actor exits, its xstate actor, every child it
 * started and every timer of its xstate system stop. Subclass it only through `fromMachine`.
 *
 * @example
 * const Light = fromMachine(lightMachine); // a subclass of MachineActor<typeof lightMachine>
 * system.getStatus(await system.spawn(Light, {})).details; // { state: 'green', status: 'active' }
 */
export class MachineActor<TLogic extends AnyActorLogic> extends Behaviour<MachineProtocol<TLogic>, SnapshotFrom<TLogic>, MachineStart<TLogic> | void> {
  /** The machine or actor logic, set on the class `fromMachine` makes. */
  static readonly logic: AnyActorLogic | undefined = undefined;

  #actor: Actor<TLogic> | undefined;
  readonly #clock = new TrackingClock();
  /** True while a hook is inside the xstate actor: a failure then throws from the hook. */
  #handling = false;
  #failure: MachineFailedError | typeof NO_FAILURE = NO_FAILURE;
  #tornDown = false;
  #persistence: Persistence | null = null;

  override onInit(arg: MachineStart<TLogic> | void): void | Promise<void> {
    const logic = (this.constructor as typeof MachineActor).logic as TLogic | undefined;
    if (logic === undefined) throw new InvalidOptionError('behaviour', 'a class made by fromMachine(machine)', this.constructor);
    const start = checkStart(arg);
    // Whatever ends this actor (a crash, a stop, a kill, a linked exit), the xstate side goes too.
    this.system.monitor(this.self, () => this.#teardown());
    if (start.restartFrom !== 'snapshot') return this.#start(logic, start.input, undefined);
    const { store, key } = start;
    const release = claimKey(store, key, { alive: () => !this.#tornDown && this.system.isAlive(this.self), flush: () => this.#teardown() });
    this.#persistence = { store, key, release };
    const loaded = store.load(key);
    if (loaded !== undefined && typeof (loaded as Promise<unknown>).then === 'function') {
      return (loaded as Promise<Snapshot<unknown> | undefined>).then((s) => this.#start(logic, start.input, s));
    }
    return this.#start(logic, start.input, loaded as Snapshot<unknown> | undefined);
  }

  #start(logic: TLogic, input: unknown, snapshot: Snapshot<unknown> | undefined): void {
    const options: Record<string, unknown> = { clock: this.#clock };
    if (input !== undefined) options['input'] = input;
    if (snapshot !== undefined) options['snapshot'] = snapshot;
    const actor = (createActor as (l: AnyActorLogic, o: object) => Actor<TLogic>)(logic, options);
    this.#actor = actor;
    // Every observer has an error listener, so xstate never rethrows in a timer (reportUnhandledError).
    actor.subscribe({
      next: (s) => {
        this.state = s;
      },
      error: (e) => this.#fail(e),
      complete: () => this.#complete(),
    });
    this.#handling = true;
    actor.start();
    this.#handling = false;
    if (this.#failure !== NO_FAILURE) throw this.#failure;
  }

  override onCast(event: EventFromLogic<TLogic>): void {
    this.#handling = true;
    this.#actor!.send(event);
    this.#handling = false;
    if (this.#failure !== NO_FAILURE) throw this.#failure;
  }

  override onCall(request: MachineProtocol<TLogic>['call']): SnapshotFrom<TLogic> | PersistedSnapshotResult {
    const actor = this.#actor!;
    switch (request.type) {
      case 'getSnapshot':
        return actor.getSnapshot();
      case 'getPersistedSnapshot':
        try {
          return { status: 'ok', snapshot: actor.getPersistedSnapshot() };
        } catch (reason) {
          return { status: 'error', reason };
        }
      case 'send':
        this.onCast(request.event);
        return actor.getSnapshot();
    }
  }

  override onTerminate(_reason: ExitReason): void {
    this.#teardown();
  }

  /** The machine's current state value (`'payment'`, `'a.b'` for nested states) and status, for `getStatus` and the dump. */
  override formatStatus(): StatusDetails | undefined {
    const snapshot = this.#actor?.getSnapshot() as { value?: unknown; status: string } | undefined;
    if (snapshot === undefined) return undefined;
    return snapshot.value === undefined ? { status: snapshot.status } : { state: stateValueText(snapshot.value), status: snapshot.status };
  }

  /** xstate reported an error: crash (by throwing from the hook, or by stopping outside one: a delayed event, a promise). */
  #fail(error: unknown): void {
    if (this.#tornDown || this.#failure !== NO_FAILURE) return;
    const reason = new MachineFailedError(this.constructor.name, error);
    this.#failure = reason;
    if (!this.#handling) this.stop(reason);
  }

  /** The machine reached a final state: the actor's work is done, it exits `normal`. */
  #complete(): void {
    if (this.#tornDown || this.#failure !== NO_FAILURE) return;
    const p = this.#persistence;
    if (p !== null) settleQuietly(p.store.delete(p.key), this, 'snapshot not deleted');
    this.#persistence = null;
    p?.release();
    this.stop('normal');
  }

  /** Saves the last good snapshot (if persisting), then stops the xstate actor, its children and its timers. Runs once. */
  #teardown(): void {
    if (this.#tornDown) return;
    this.#tornDown = true;
    const actor = this.#actor;
    const p = this.#persistence;
    if (actor !== undefined && p !== null && this.state !== undefined) {
      try {
        settleQuietly(p.store.save(p.key, actor.logic.getPersistedSnapshot(this.state)), this, 'snapshot not saved');
      } catch (e) {
        warnSnapshot(this, 'snapshot not saved', e);
      }
    }
    p?.release();
    if (actor !== undefined) {
      // A failed root leaves its children running (xstate issue 5153): stop them by hand.
      const children = [actor.getSnapshot(), this.state];
      actor.stop();
      for (const s of children) stopChildren(s);
    }
    this.#clock.close();
  }
}

/** A state value as text: `'green'`, `'payment.card'` for nested states, `'a.x, b.y'` for parallel ones. */
function stateValueText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value !== 'object' || value === null) return String(value);
  return Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => (typeof v === 'object' && v !== null && Object.keys(v).length === 0 ? k : `${k}.${stateValueText(v)}`))
    .join(', ');
}

/** Stops every child actor in a snapshot, deepest first (a stopped actor ignores it). */
function stopChildren(snapshot: unknown): void {
  const children = (snapshot as { children?: Record<string, AnyActorRef | undefined> } | undefined)?.children;
  if (children === undefined || children === null) return;
  for (const id in children) {
    const child = children[id];
    if (child === undefined) continue;
    stopChildren(child.getSnapshot());
    child.send(STOP_EVENT);
  }
}

/** Logs a store operation that failed: persistence is best effort, it never crashes the actor. */
function warnSnapshot(actor: MachineActor<any>, what: string, error: unknown): void {
  actor.logger.warn(`machine ${what}`, { report: 'machine_snapshot', behaviour: actor.constructor.name, reason: formatReason(error) });
}

/** Logs the rejection of a store operation that returned a promise. */
function settleQuietly(r: void | Promise<void>, actor: MachineActor<any>, what: string): void {
  if (r !== undefined && typeof (r as Promise<void>).then === 'function') (r as Promise<void>).then(undefined, (e: unknown) => warnSnapshot(actor, what, e));
}

type CheckedStart = { input: unknown } & ({ restartFrom: 'initial' } | { restartFrom: 'snapshot'; store: SnapshotStore; key: string });

function checkStart(arg: unknown): CheckedStart {
  if (arg === undefined) return { input: undefined, restartFrom: 'initial' };
  if (typeof arg !== 'object' || arg === null) throw new InvalidOptionError('start argument', 'an object ({ input?, restartFrom?, store?, key? }) or undefined', arg);
  const a = arg as { input?: unknown; restartFrom?: unknown; store?: unknown; key?: unknown };
  const restartFrom = a.restartFrom ?? 'initial';
  if (restartFrom === 'initial') return { input: a.input, restartFrom };
  if (restartFrom !== 'snapshot') throw new InvalidOptionError('restartFrom', "'initial' or 'snapshot'", restartFrom);
  const store = a.store as SnapshotStore | undefined;
  if (typeof store !== 'object' || store === null || typeof store.load !== 'function' || typeof store.save !== 'function' || typeof store.delete !== 'function') {
    throw new InvalidOptionError('store', "a SnapshotStore (load, save, delete) with restartFrom: 'snapshot'; memorySnapshotStore() makes one", store);
  }
  if (typeof a.key !== 'string' || a.key === '') throw new InvalidOptionError('key', "a non-empty string with restartFrom: 'snapshot'", a.key);
  return { input: a.input, restartFrom, store, key: a.key };
}
