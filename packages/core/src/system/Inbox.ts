import { type ActorRef, behaviourOf, type Cell, MonitorRef } from '../kernel/index.js';
import { GenServer } from '../actor/GenServer.js';
import type { AnyBehaviour, BehaviourClass, InitArgOf, ProtocolOf } from '../behaviour/Behaviour.js';
import type { SystemInfo } from '../actor/Protocol.js';
import { CallTimeoutError, InvalidOptionError } from '../errors/errors.js';
import type { ExitReason } from '../exit/ExitReason.js';
import type { ActorSystem } from './ActorSystem.js';
import type { SpawnOptions } from './SpawnOptions.js';
import { checkOptions } from '../validation/options.js';
import { checkSystem } from '../validation/system.js';
import { timeoutOf } from '../validation/timeout.js';

interface Waiter {
  readonly match: (msg: unknown) => boolean;
  readonly resolve: (msg: unknown) => void;
}

/** The actor behind an {@link Inbox}: it keeps every info message for `receive`. @internal */
export class InboxActor extends GenServer<{ info: unknown }, unknown[]> {
  override state: unknown[] = [];
  waiters: Waiter[] = [];

  override handleInfo(msg: unknown): void {
    const i = this.waiters.findIndex((w) => w.match(msg));
    if (i >= 0) this.waiters.splice(i, 1)[0]!.resolve(msg);
    else this.state.push(msg);
  }
}

/**
 * An actor that outside code drives by hand, like Erlang's shell process: it can link,
 * monitor, trap exits and spawn linked actors, and `receive` awaits the messages it gets
 * (EXIT, DOWN, or anything sent to `inbox.ref`).
 *
 * @example
 * const inbox = await openInbox(system);
 * inbox.trapExit(true);
 * const child = await inbox.spawnLink(Worker, cfg);
 * system.exit(child, 'boom');
 * const exit = await inbox.receive((m) => m.type === 'EXIT'); // { type: 'EXIT', from: child, reason: 'boom' }
 */
export class Inbox {
  readonly #actor: InboxActor;

  /** @internal */
  constructor(actor: InboxActor) {
    this.#actor = actor;
  }

  /** @internal */
  static async open(system: ActorSystem): Promise<Inbox> {
    checkSystem('openInbox: system', system);
    const ref = await system.spawn(InboxActor, undefined);
    return new Inbox(behaviourOf(ref as unknown as Cell) as InboxActor);
  }

  /** The inbox's own ref: send info messages here. */
  get ref(): ActorRef<{ info: unknown }> {
    return this.#actor.self;
  }

  /** Messages received and not yet taken by `receive`. */
  get pending(): readonly unknown[] {
    return this.#actor.state;
  }

  /**
   * Takes the first message (oldest first) that matches, waiting for it if needed.
   * Rejects with `CallTimeoutError` after `timeout` ms (default 5000).
   */
  receive<M = SystemInfo>(match: (msg: any) => boolean = () => true, options?: { timeout?: number }): Promise<M> {
    let timeout: number;
    try {
      if (typeof match !== 'function') throw new InvalidOptionError('match', 'a function (msg) => boolean', match);
      timeout = timeoutOf(options);
    } catch (e) {
      return Promise.reject(e);
    }
    const actor = this.#actor;
    const i = actor.state.findIndex(match);
    if (i >= 0) return Promise.resolve(actor.state.splice(i, 1)[0] as M);
    return new Promise<M>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const waiter: Waiter = {
        match,
        resolve: (msg) => {
          if (timer !== undefined) clearTimeout(timer);
          resolve(msg as M);
        },
      };
      actor.waiters.push(waiter);
      if (timeout !== Infinity) {
        timer = setTimeout(() => {
          const k = actor.waiters.indexOf(waiter);
          if (k >= 0) actor.waiters.splice(k, 1);
          reject(new CallTimeoutError(this.ref, timeout));
        }, timeout);
      }
    });
  }

  /** Turns exit trapping on or off for the inbox. */
  trapExit(on: boolean): void {
    this.#actor.trapExit(on);
  }

  /** Links the inbox to an actor. */
  link(ref: ActorRef): void {
    this.#actor.link(ref);
  }

  /** Removes a link. */
  unlink(ref: ActorRef): void {
    this.#actor.unlink(ref);
  }

  /** Monitors an actor: a DOWN message arrives in the inbox. */
  monitor(ref: ActorRef): MonitorRef {
    return this.#actor.monitor(ref);
  }

  /** Removes a monitor; with `flush`, drops its queued DOWN too. */
  demonitor(monitor: MonitorRef, options?: { flush?: boolean }): boolean {
    checkOptions('demonitor: options', options, '{ flush? }');
    const active = this.#actor.demonitor(monitor, options);
    if (options?.flush === true) {
      const i = this.#actor.state.findIndex((m) => (m as { ref?: unknown }).ref === monitor);
      if (i >= 0) this.#actor.state.splice(i, 1);
    }
    return active;
  }

  /** Starts an actor linked to the inbox (the inbox is its parent). */
  spawnLink<B extends AnyBehaviour>(behaviour: BehaviourClass<B>, arg: InitArgOf<B>, options?: SpawnOptions): Promise<ActorRef<ProtocolOf<B>>> {
    return this.#actor.spawnLink(behaviour, arg, options);
  }

  /** Starts an actor monitored by the inbox. */
  spawnMonitor<B extends AnyBehaviour>(behaviour: BehaviourClass<B>, arg: InitArgOf<B>, options?: SpawnOptions) {
    return this.#actor.spawnMonitor(behaviour, arg, options);
  }

  /** Sends an exit signal from the inbox. */
  exit(ref: ActorRef, reason: ExitReason): void {
    this.#actor.exit(ref, reason);
  }

  /** Stops the inbox actor; its links see `reason`. */
  close(reason: ExitReason = 'normal'): Promise<void> {
    return this.#actor.system.stop(this.ref, reason);
  }
}
