import type { ActorRef } from '../kernel/index.js';

/**
 * The key of the method a supervising behaviour implements so the dump can read its
 * children synchronously, in start order. `Supervisor` and `DynamicSupervisor` implement
 * it; a library behaviour that supervises actors may too.
 *
 * @example
 * class MyPool extends GenServer { [describeSupervisor](): SupervisorInfo { ... } }
 */
export const describeSupervisor: unique symbol = Symbol('arbor.describeSupervisor');

/** What the dump shows of one child of a supervisor. */
export interface SupervisedChildInfo {
  /** The child spec's id (for a dynamic supervisor: the child's actor id). */
  readonly id: string;
  /** The running actor, or undefined while restarting or stopped. */
  readonly ref: ActorRef | undefined;
  /** `running`: has a live actor; `restarting`: a restart failed and is being retried; `stopped`: spec kept with no actor (ignored, terminated, or a transient that finished). */
  readonly status: 'running' | 'restarting' | 'stopped';
  readonly type: 'worker' | 'supervisor';
  readonly restart: 'permanent' | 'transient' | 'temporary';
  /** How many times this child was restarted since the supervisor started. */
  readonly restarts: number;
  /** The reason the child's last actor exited with, or undefined if none has. */
  readonly lastExitReason: unknown;
}

/** What the dump shows of a supervisor. */
export interface SupervisorInfo {
  readonly strategy: 'one_for_one' | 'one_for_all' | 'rest_for_one' | (string & {});
  readonly intensity: number;
  readonly period: number;
  /** Children in start order. */
  readonly children: readonly SupervisedChildInfo[];
}

/** A behaviour that reports its children to the dump. */
export interface Supervising {
  [describeSupervisor](): SupervisorInfo;
}

/** True if the behaviour reports its children. @internal */
export function isSupervising(b: unknown): b is Supervising {
  return typeof b === 'object' && b !== null && typeof (b as Partial<Supervising>)[describeSupervisor] === 'function';
}
