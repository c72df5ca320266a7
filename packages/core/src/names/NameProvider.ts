import { describe } from '../errors/ArborError.js';
import { InvalidOptionError } from '../errors/errors.js';
import { type ActorRef, protocolType } from '../kernel/index.js';
import type { Protocol } from '../actor/Protocol.js';

/**
 * A name service that `spawn` can register an actor in before `init` runs (OTP's
 * `{via, Module, Name}`). A `Registry` is one; write your own by implementing these
 * four synchronous methods, and `claimName` when registering must wait (a cluster-wide
 * registry asking a store).
 *
 * @example
 * await system.spawn(Worker, cfg, { name: via(registry, 'worker:1') });
 */
export interface NameProvider {
  /** A label for logs, errors and the dump. */
  readonly label: string;
  /**
   * Registers `ref` under `key`. Returns undefined on success, or the live actor that holds
   * the key (then nothing is registered). The provider removes the entry itself when the
   * actor exits.
   */
  registerName(key: unknown, ref: ActorRef): ActorRef | undefined;
  /**
   * Optional, asynchronous registration: when present, `spawn` awaits it instead of calling
   * `registerName`. The new actor exists but its init has not run (nor does anyone else see
   * it) until the promise settles: undefined = claimed (then init runs), an actor = the live
   * holder (the start answers `AlreadyStartedError` naming it), a rejection = the spawn
   * rejects with it. If the system stopped meanwhile, spawn calls `unregisterName(key, ref)`
   * and rejects with `SystemStoppedError`. The provider removes the entry itself when the actor exits.
   *
   * @example
   * async claimName(key, ref) { return (await store.create(key, ref)) ? undefined : store.holder(key); }
   */
  claimName?(key: unknown, ref: ActorRef): Promise<ActorRef | undefined>;
  /** Removes `ref`'s entry under `key`, if any. */
  unregisterName(key: unknown, ref: ActorRef): void;
  /** The live actor registered under `key`, or undefined. */
  whereisName(key: unknown): ActorRef | undefined;
  /** The keys `ref` is registered under (for the dump). */
  keysOf(ref: ActorRef): readonly unknown[];
}

/**
 * Marks a name with the protocol of the actors it names (types only; never set). A
 * function type, so the check is exact both ways: a name of one protocol does not name
 * an actor of another, nor of a narrower or wider one.
 */
export type ProtocolMark<P> = (protocol: P) => P;

/**
 * A name in a {@link NameProvider}: pass it as `options.name` to `spawn`. `P` is the
 * protocol of the actor it names: `registry.via(key)` on a typed registry, or
 * `defineName<P>(via(registry, key))`, gives a typed one (spawn checks the behaviour's
 * protocol, `whereis` returns `ActorRef<P>`); `via(registry, key)` an untyped one.
 *
 * @example
 * const name: ViaName<WorkerProtocol> = workers.via('w1');
 */
export interface ViaName<P extends Protocol = any> {
  readonly via: NameProvider;
  readonly key: unknown;
  readonly [protocolType]?: ProtocolMark<P>;
}

/**
 * Builds a {@link ViaName}.
 *
 * @example
 * system.spawn(Worker, cfg, { name: via(registry, { tenant: 'a' }) })
 */
export function via(provider: NameProvider, key: unknown): ViaName {
  if (typeof provider !== 'object' || provider === null || typeof provider.registerName !== 'function') {
    throw new InvalidOptionError('via: provider', 'a NameProvider such as a RegistryHandle (with registerName, unregisterName, whereisName)', provider);
  }
  return { via: provider, key };
}

/** True for a {@link ViaName}. */
export function isViaName(name: unknown): name is ViaName {
  return (
    typeof name === 'object' &&
    name !== null &&
    typeof (name as ViaName).via === 'object' &&
    (name as ViaName).via !== null &&
    typeof (name as ViaName).via.registerName === 'function'
  );
}

/**
 * A name as text, for logs and errors.
 *
 * @example
 * describeName(via(registry, 'a')) // 'registry:a'
 */
export function describeName(name: string | ViaName): string {
  if (typeof name === 'string') return name;
  if (!isViaName(name)) throw new InvalidOptionError('describeName: name', 'a string or via(registry, key)', name);
  return `${name.via.label}:${typeof name.key === 'string' ? name.key : keyText(name.key)}`;
}

/** A key as JSON, or described when JSON cannot show it (a cyclic object, a BigInt). */
function keyText(key: unknown): string {
  try {
    return JSON.stringify(key) ?? describe(key);
  } catch {
    return describe(key);
  }
}
