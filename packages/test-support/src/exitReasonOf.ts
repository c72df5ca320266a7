/**
 * The part of an actor system {@link exitReasonOf} uses (an `ActorSystem` of @arbor/core is
 * one; typed structurally so this package does not depend on core, whose tests use it).
 */
export interface ExitWatchable<R> {
  isAlive(ref: R): boolean;
  getStatus(ref: R): { readonly exitReason?: unknown };
  monitor(ref: R, onDown: (down: { readonly reason: unknown }) => void): unknown;
}

/**
 * Resolves with the reason `ref` exits with (through an external monitor). For an actor
 * that is already dead, resolves with the reason it died with.
 *
 * @example
 * t.is(await exitReasonOf(system, ref), 'normal');
 */
export function exitReasonOf<R>(system: ExitWatchable<R>, ref: R): Promise<unknown> {
  if (!system.isAlive(ref)) return Promise.resolve(system.getStatus(ref).exitReason);
  return new Promise((resolve) => system.monitor(ref, ({ reason }) => resolve(reason)));
}
