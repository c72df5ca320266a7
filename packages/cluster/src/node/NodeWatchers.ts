import type { ActorRef, ActorSystem } from '@arbor/core';
import type { Logger } from 'winston';
import type { NodeDownMessage, NodeEvent } from './NodeEvent.js';

/**
 * Who wants to hear of nodes coming and going: `onNode` listeners, and the actors that
 * monitor a node by name (Erlang's monitor_node). A throwing listener is logged and the
 * others still run. @internal
 *
 * @example
 * watchers.emit({ type: 'nodeup', node });
 */
export class NodeWatchers {
  readonly #listeners = new Set<(e: NodeEvent) => void>();
  readonly #monitors = new Map<string, Set<ActorRef>>();

  constructor(
    private readonly system: ActorSystem,
    private readonly logger: Logger,
    private readonly self: string,
  ) {}

  listen(listener: (event: NodeEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** `watcher` gets `{ type: 'nodedown', node }` once: at `nodeDown(node)`, or now when the node is not up. */
  monitor(watcher: ActorRef, node: string, up: boolean): () => void {
    if (!up) {
      queueMicrotask(() => this.system.send(watcher, { type: 'nodedown', node } satisfies NodeDownMessage as never));
      return () => {};
    }
    let set = this.#monitors.get(node);
    if (set === undefined) this.#monitors.set(node, (set = new Set()));
    set.add(watcher);
    return () => this.#monitors.get(node)?.delete(watcher);
  }

  /** No incarnation of `node` is up any more: its monitors fire, once. */
  nodeDown(node: string): void {
    const watchers = this.#monitors.get(node);
    this.#monitors.delete(node);
    for (const w of watchers ?? []) this.system.send(w, { type: 'nodedown', node } satisfies NodeDownMessage as never);
  }

  emit(event: NodeEvent): void {
    for (const l of this.#listeners) {
      try {
        l(event);
      } catch (e) {
        this.logger.error('cluster: onNode listener threw', { report: 'cluster_listener_error', node: this.self, reason: String(e) });
      }
    }
  }
}
