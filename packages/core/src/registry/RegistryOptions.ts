import { type ActorRef, type Cell, isCell } from '../kernel/index.js';
import { InvalidOptionError } from '../errors/errors.js';
import { refExpected } from '../validation/ref.js';

/**
 * `'unique'`: a key points to 0 or 1 actor (names). `'duplicate'`: a key points to any
 * number of entries (groups, pub/sub).
 *
 * @example
 * const keys: RegistryKeys = 'duplicate';
 */
export type RegistryKeys = 'unique' | 'duplicate';

/**
 * The start argument of a {@link Registry} (what `init` receives).
 *
 * @example
 * await system.spawn(Registry, { keys: 'unique', name: 'workers', meta: { pool: 'a' } });
 */
export interface RegistryOptions {
  /** Unique or duplicate keys. */
  readonly keys: RegistryKeys;
  /**
   * A local name, registered by the registry itself in `init` (a clash fails the start with
   * `AlreadyStartedError`). Handles of a named registry follow the name across restarts.
   */
  readonly name?: string;
  /**
   * Actors told about every registration and unregistration, as info messages
   * ({@link RegistryEvent}). A string is a local name, looked up at each event.
   */
  readonly listeners?: readonly (ActorRef | string)[];
  /** Initial registry metadata (see `meta` / `putMeta`). */
  readonly meta?: Readonly<Record<string, unknown>>;
}

/** The checked options. @internal */
export interface ValidOptions {
  readonly keys: RegistryKeys;
  readonly name: string | undefined;
  readonly listeners: readonly (Cell | string)[];
  readonly meta: Readonly<Record<string, unknown>>;
}

/** Checks a registry's start argument; throws `InvalidOptionError` naming the option. @internal */
export function validateRegistryOptions(options: unknown): ValidOptions {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidOptionError('options', "an object { keys: 'unique' | 'duplicate', name?, listeners?, meta? }", options);
  }
  const o = options as Partial<RegistryOptions>;
  if (o.keys !== 'unique' && o.keys !== 'duplicate') throw new InvalidOptionError('options.keys', "'unique' or 'duplicate'", o.keys);
  if (o.name !== undefined && (typeof o.name !== 'string' || o.name === '')) {
    throw new InvalidOptionError('options.name', 'a non-empty string', o.name);
  }
  const listeners = o.listeners ?? [];
  if (!Array.isArray(listeners)) throw new InvalidOptionError('options.listeners', 'an array of ActorRefs or local names', listeners);
  listeners.forEach((l: unknown, i) => {
    if (!isCell(l) && (typeof l !== 'string' || l === '')) {
      throw new InvalidOptionError(`options.listeners[${i}]`, refExpected('a non-empty local name'), l);
    }
  });
  const meta = o.meta ?? {};
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) {
    throw new InvalidOptionError('options.meta', 'a plain object of metadata', meta);
  }
  return { keys: o.keys, name: o.name, listeners: listeners as readonly (Cell | string)[], meta };
}
