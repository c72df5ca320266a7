import { type ActorRef, type Cell, isCell, isDead, sendInfo } from '../kernel/index.js';
import type { ActorSystem } from '../system/ActorSystem.js';

/**
 * What a registry's listeners receive: listener actors as an info message (in
 * `handleInfo`), listener callbacks as their argument. `unregister` is sent for
 * `unregister` / `unregisterMatch` calls and also when an entry goes because its actor
 * exited (Elixir leaves that case to the listener's own monitor).
 *
 * @example
 * override handleInfo(msg: RegistryEvent<string, Info> | SystemInfo) {
 *   if (msg.type === 'register') this.state.add(msg.key);
 *   if (msg.type === 'unregister') this.state.delete(msg.key);
 * }
 */
export type RegistryEvent<K = unknown, V = unknown> =
  | { readonly type: 'register'; readonly registry: string; readonly key: K; readonly ref: ActorRef; readonly value: V }
  | { readonly type: 'unregister'; readonly registry: string; readonly key: K; readonly ref: ActorRef; readonly value: V };

/**
 * A listener callback (see `registry.listen`); it runs in a microtask after the change.
 *
 * @example
 * const listener: RegistryListener<string, Info> = (e) => console.log(e.type, e.key);
 */
export type RegistryListener<K = unknown, V = unknown> = (event: RegistryEvent<K, V>) => void;

/**
 * A registry's listeners: actors from the start options (refs, or local names looked up
 * at each event) and listeners added with `listen` (an actor added that way is dropped
 * once it is dead). Callbacks run in a microtask, so a registration never runs foreign
 * code synchronously. @internal
 */
export class Listeners {
  readonly #system: ActorSystem;
  readonly #actors: readonly (Cell | string)[];
  readonly #added = new Set<RegistryListener<any, any> | Cell>();

  constructor(system: ActorSystem, actors: readonly (Cell | string)[]) {
    this.#system = system;
    this.#actors = actors;
  }

  /** True when nobody listens (the common case: registration then costs no event object). */
  get empty(): boolean {
    return this.#actors.length === 0 && this.#added.size === 0;
  }

  /** Adds a listener; returns the function that removes it. */
  add(listener: RegistryListener<any, any> | Cell): () => void {
    this.#added.add(listener);
    return () => {
      this.#added.delete(listener);
    };
  }

  clear(): void {
    this.#added.clear();
  }

  emit(event: RegistryEvent): void {
    for (const a of this.#actors) {
      const cell = typeof a === 'string' ? this.#system.whereis(a) : a;
      if (isCell(cell)) this.#deliver(cell, event);
    }
    for (const l of this.#added) {
      if (!isCell(l)) queueMicrotask(() => this.#call(l, event));
      else if (isDead(l)) this.#added.delete(l);
      else this.#deliver(l, event);
    }
  }

  #deliver(cell: Cell, event: RegistryEvent): void {
    try {
      sendInfo(cell, event);
    } catch (e) {
      // A bounded mailbox with overflow 'reject': the event is lost, the registration stands.
      this.#system.logger.warn('registry event dropped', { report: 'registry_event_dropped', registry: event.registry, listener: cell.id, reason: String(e) });
    }
  }

  #call(listener: RegistryListener<any, any>, event: RegistryEvent): void {
    try {
      listener(event);
    } catch (e) {
      this.#system.logger.error('registry listener threw', {
        report: 'registry_listener_error',
        registry: event.registry,
        event: event.type,
        reason: String(e),
        stack: e instanceof Error ? e.stack : undefined,
      });
    }
  }
}
