/**
 * What the endpoint's ops (`actor`, `trace`, `control`) read and act on: the system the
 * endpoint serves and the endpoint's own ref (it refuses to stop or suspend itself).
 * `localSource` runs the control actions with one too.
 * @internal
 */
import type { ActorRef, ActorSystem } from '@arbor/core';

/** The system an op runs against, and the endpoint serving it. */
export interface OpContext {
  readonly system: ActorSystem;
  /** The `DebugEndpoint` answering the request (undefined for `localSource`). */
  readonly self: ActorRef | undefined;
  /** True once the endpoint is closing: long ops give up. */
  closing(): boolean;
}

/** How long an op waits for an actor to answer a system request (its state, a suspend, a restart) before it answers `actor_timeout`. */
export const ACTOR_ANSWER_TIMEOUT_MS = 2000;
