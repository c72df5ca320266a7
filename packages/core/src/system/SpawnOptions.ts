import { InvalidOptionError } from '../errors/errors.js';
import type { MailboxLimits, OverflowPolicy } from '../kernel/index.js';
import type { Protocol } from '../actor/Protocol.js';
import type { ProtocolOf } from '../behaviour/Behaviour.js';
import type { NameFor } from '../names/ActorName.js';
import { isViaName } from '../names/NameProvider.js';

/**
 * Options of `spawn`. `P` is the protocol of the actor spawned: a typed name
 * (`defineName<P>`, a typed registry's `via`) must be of that protocol.
 *
 * @example
 * system.spawn(Worker, cfg, { name: 'worker', mailbox: { capacity: 1000, overflow: 'drop_oldest' } })
 */
export interface SpawnOptions<P extends Protocol = any> {
  /**
   * A name to register before `init` runs: a local name, or a key in a registry
   * (`via(registry, key)`). A clash rejects with `AlreadyStartedError`. A typed name
   * (`defineName<P>`, `registry.via(key)` of a typed registry) fails to compile unless
   * the behaviour's protocol is its protocol.
   */
  readonly name?: NameFor<P>;
  /** Bound the mailbox (unbounded by default). */
  readonly mailbox?: { readonly capacity: number; readonly overflow?: OverflowPolicy };
  /** Start with exit trapping on (the same as calling `this.trapExit(true)` in `init`). */
  readonly trapExit?: boolean;
}

/**
 * The spawn options of behaviour `B`: a typed name must be of `B`'s protocol (any name
 * goes when the behaviour's type is not known).
 *
 * @example
 * const options: SpawnOptionsOf<Counter> = { name: counterName };
 */
export type SpawnOptionsOf<B> = [ProtocolOf<B>] extends [never] ? SpawnOptions : SpawnOptions<ProtocolOf<B>>;

const POLICIES: readonly OverflowPolicy[] = ['drop_newest', 'drop_oldest', 'reject'];

/** Checks spawn options; returns the mailbox limits. @internal */
export function validateSpawnOptions(options: SpawnOptions): MailboxLimits | null {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new InvalidOptionError('options', 'an object { name?, mailbox?, trapExit? } or undefined', options);
  }
  const name = options.name;
  if (name !== undefined && (typeof name !== 'string' || name === '') && !isViaName(name)) {
    throw new InvalidOptionError('options.name', "a non-empty string or via(registry, key)", name);
  }
  if (options.trapExit !== undefined && typeof options.trapExit !== 'boolean') {
    throw new InvalidOptionError('options.trapExit', 'a boolean', options.trapExit);
  }
  const mb = options.mailbox;
  if (mb === undefined) return null;
  if (typeof mb !== 'object' || mb === null) throw new InvalidOptionError('options.mailbox', 'an object { capacity, overflow }', mb);
  if (!Number.isInteger(mb.capacity) || mb.capacity < 1) {
    throw new InvalidOptionError('options.mailbox.capacity', 'an integer >= 1', mb.capacity);
  }
  const overflow = mb.overflow === undefined ? 'drop_newest' : mb.overflow;
  if (!POLICIES.includes(overflow)) {
    throw new InvalidOptionError('options.mailbox.overflow', `one of ${POLICIES.map((p) => `'${p}'`).join(', ')}`, overflow);
  }
  return { capacity: mb.capacity, overflow };
}

// The timeout rule lives in validation/timeout.ts; these names stay importable from here.
export { DEFAULT_TIMEOUT, timeoutOf } from '../validation/timeout.js';
