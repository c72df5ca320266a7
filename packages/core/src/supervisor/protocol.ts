import type { ActorRef } from '../kernel/index.js';
import type { Call } from '../actor/Protocol.js';
import type { ChildSpec, ChildType, RestartType } from './ChildSpec.js';

/**
 * What `startChild` answers (OTP's outcomes as values): `ok` with the new ref, `ignore`
 * (the child's init declined; its spec is kept unless temporary), `already_started` (the
 * id is running), `already_present` (the id exists with no actor: restart or delete it),
 * or `error` with the start's failure reason.
 */
export type StartChildResult =
  | { readonly status: 'ok'; readonly ref: ActorRef }
  | { readonly status: 'ignore' }
  | { readonly status: 'already_started'; readonly ref: ActorRef }
  | { readonly status: 'already_present' }
  | { readonly status: 'error'; readonly reason: unknown };

/** What `restartChild` answers: the child started again, or why not. */
export type RestartChildResult =
  | { readonly status: 'ok'; readonly ref: ActorRef }
  | { readonly status: 'ignore' }
  | { readonly status: 'running' }
  | { readonly status: 'restarting' }
  | { readonly status: 'not_found' }
  | { readonly status: 'error'; readonly reason: unknown };

/** One child as `whichChildren` lists it: its ref, `'restarting'`, or undefined when it has no actor. */
export interface ChildEntry {
  readonly id: string;
  readonly ref: ActorRef | 'restarting' | undefined;
  readonly type: ChildType;
  readonly restart: RestartType;
}

/** What `countChildren` answers. */
export interface ChildCounts {
  /** Child specs held (running or not). */
  readonly specs: number;
  /** Children with a live actor. */
  readonly active: number;
  readonly supervisors: number;
  readonly workers: number;
}

/**
 * The calls a supervisor answers. The static helpers (`Supervisor.startChild(ref, spec)`,
 * ...) wrap them; `this.call(sup, { type: 'which_children' })` works too.
 */
export interface SupervisorProtocol {
  call:
    | Call<'start_child', StartChildResult, { spec: ChildSpec }>
    | Call<'restart_child', RestartChildResult, { id: string }>
    | Call<'terminate_child', 'ok' | 'not_found', { id: string }>
    | Call<'delete_child', 'ok' | 'running' | 'restarting' | 'not_found', { id: string }>
    | Call<'which_children', ChildEntry[]>
    | Call<'count_children', ChildCounts>
    | Call<'get_childspec', ChildSpec | 'not_found', { id: string }>;
  /** The supervisor's own retry message (after a failed or delayed restart). @internal */
  info: { readonly type: '$restart'; readonly id: string; readonly token: number; readonly counted: boolean };
}
