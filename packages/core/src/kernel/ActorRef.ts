import type { Cell } from './Cell.js';
import type { RemoteActorRef } from './RemoteRef.js';
import type { Protocol } from '../actor/Protocol.js';

/** Runtime key of the phantom protocol type carried by refs (types only; never set). */
export const protocolType: unique symbol = Symbol('arbor.protocolType');

/**
 * A handle on an actor, typed by what it accepts. It stays a valid value after the actor
 * dies: casting to it is then a no-op and calling it rejects with `NoProcError`.
 *
 * @example
 * const ref: ActorRef<CounterProtocol> = await system.spawn(Counter, 0);
 * cast(ref, { type: 'inc', by: 1 });
 */
export interface ActorRef<P extends Protocol = any> {
  /** Unique id (nanoid), stable for the actor's life and after. */
  readonly id: string;
  readonly [protocolType]?: P;
}

let nextMonitor = 0;
let targetOf: (m: MonitorRef) => Cell | RemoteActorRef | null;
let setTarget: (m: MonitorRef, target: Cell | RemoteActorRef | null) => void;

/** The actor a monitor watches while it is active, else null (kernel only). @internal */
export function monitorTarget(m: MonitorRef): Cell | RemoteActorRef | null {
  return targetOf(m);
}

/** Sets or clears what a monitor watches (kernel only). @internal */
export function setMonitorTarget(m: MonitorRef, target: Cell | RemoteActorRef | null): void {
  setTarget(m, target);
}

/**
 * Identifies one monitor; monitors stack, so each `monitor()` returns a new one.
 * DOWN messages carry it, and `demonitor` takes it.
 */
export class MonitorRef {
  readonly id: number = ++nextMonitor;
  /** The monitored actor while the monitor is active. */
  #target: Cell | RemoteActorRef | null = null;

  static {
    targetOf = (m) => m.#target;
    setTarget = (m, target) => {
      m.#target = target;
    };
  }

  toString(): string {
    return `#Monitor<${this.id}>`;
  }
}
