import type { ActorSystem } from '@arbor/core';
import type { WorkerChannel } from './WorkerChannel.js';

/** Each system's running worker channels by actor ref id: a request is a Map lookup, not a mailbox hop. */
const channels = new WeakMap<ActorSystem, Map<string, WorkerChannel>>();

/**
 * Makes `channel` findable by its actor's ref id. @internal
 *
 * @example
 * registerChannel(this.system, this.self.id, channel);
 */
export function registerChannel(system: ActorSystem, actorId: string, channel: WorkerChannel): void {
  let m = channels.get(system);
  if (m === undefined) channels.set(system, (m = new Map()));
  m.set(actorId, channel);
}

/**
 * Forgets `channel` (only if it is still the one registered for `actorId`). @internal
 *
 * @example
 * unregisterChannel(system, ref.id, channel);
 */
export function unregisterChannel(system: ActorSystem, actorId: string, channel: WorkerChannel): void {
  const m = channels.get(system);
  if (m?.get(actorId) === channel) m.delete(actorId);
}

/**
 * The running channel of the worker actor `actorId`, if any. @internal
 *
 * @example
 * channelOf(system, ref.id)?.request('add', 1, undefined);
 */
export function channelOf(system: ActorSystem, actorId: string): WorkerChannel | undefined {
  return channels.get(system)?.get(actorId);
}
