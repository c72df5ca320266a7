import { InvalidOptionError, type AnyBehaviour, type BehaviourClass, type ChildStarter, type Protocol, type StartFunction, type StartResult } from '@arbor/core';
import { NoNodeError } from '../errors/nodeErrors.js';
import type { Cluster } from '../node/Cluster.js';
import type { NodeId } from '../node/NodeEvent.js';

/**
 * Where a supervised remote child runs. Each start (the first, and every restart) picks
 * again among the nodes up at that moment, so a child whose node is lost restarts on
 * another one.
 *
 * @example
 * const placement: Placement = { cluster, nodes: ['worker-1', 'worker-2'] }; // in that order of preference
 */
export interface Placement {
  readonly cluster: Cluster;
  /**
   * Which node: names in order of preference (the first one up; this node's own name runs
   * the child here), or a function of the nodes up (this node last) that returns a name.
   * Default: the oldest other node up, else this node.
   */
  readonly nodes?: readonly string[] | ((candidates: readonly NodeId[]) => string | undefined);
  /** How long a remote start may take (default 5000 ms; see also the child spec's `startTimeout`). */
  readonly timeout?: number;
}

/**
 * A child spec's `start` that runs behaviour `behaviour` (by the name the nodes offer in
 * `joinCluster({ behaviours })`) on a node chosen by `placement`, linked to the supervisor
 * (a remote `spawn_link`). The supervisor restarts it as any child: when its node is lost
 * its link gives `noconnection`, and the restart picks a node again. On this node it is
 * started as a local child.
 *
 * @example
 * await Supervisor.start(system, { children: [{ id: 'indexer', start: remote({ cluster }, 'Indexer', { shard: 3 }) }] });
 */
export function remote<P extends Protocol = any>(placement: Placement, behaviour: string, arg?: unknown): StartFunction {
  checkPlacement(placement);
  if (typeof behaviour !== 'string' || behaviour === '') {
    throw new InvalidOptionError('remote: behaviour', "a behaviour name the nodes offer in joinCluster({ behaviours })", behaviour);
  }
  return async (starter: ChildStarter): Promise<StartResult<P>> => {
    const cluster = placement.cluster;
    const node = pickNode(placement);
    if (node === undefined) {
      return { status: 'error', reason: new NoNodeError(describePick(placement), 'remote(): a supervised child start', cluster.nodes().map((n) => n.name)) };
    }
    if (node === cluster.self.name) {
      const local = cluster.behaviours[behaviour] as BehaviourClass<AnyBehaviour> | undefined;
      if (local === undefined) {
        return { status: 'error', reason: new InvalidOptionError('remote: behaviour', `one of this node's behaviours (${Object.keys(cluster.behaviours).join(', ') || 'none'})`, behaviour) };
      }
      return (await starter.startLink(local, arg as never)) as StartResult<P>;
    }
    try {
      const ref = await cluster.spawn<P>(node, behaviour, arg, { link: starter.supervisor, ...(placement.timeout === undefined ? {} : { timeout: placement.timeout }) });
      return { status: 'ok', ref };
    } catch (reason) {
      return { status: 'error', reason };
    }
  };
}

function checkPlacement(placement: unknown): asserts placement is Placement {
  const p = placement as Placement;
  if (typeof p !== 'object' || p === null || typeof p.cluster !== 'object' || p.cluster === null || typeof p.cluster.spawn !== 'function') {
    throw new InvalidOptionError('remote: placement', '{ cluster, nodes?, timeout? } with the Cluster joinCluster returned', placement);
  }
  const nodes = p.nodes;
  if (nodes !== undefined && typeof nodes !== 'function' && !(Array.isArray(nodes) && nodes.length > 0 && nodes.every((n) => typeof n === 'string' && n !== ''))) {
    throw new InvalidOptionError('remote: placement.nodes', 'node names in order of preference, or (candidates) => name', nodes);
  }
}

/** The node for this start, or undefined when none of the wanted ones is up. */
function pickNode(placement: Placement): string | undefined {
  const { cluster, nodes } = placement;
  const up = cluster.nodes();
  if (nodes === undefined) return up[0]?.name ?? cluster.self.name;
  const candidates = [...up, cluster.self];
  if (typeof nodes === 'function') {
    const name = nodes(candidates);
    return name !== undefined && candidates.some((c) => c.name === name) ? name : undefined;
  }
  return nodes.find((name) => candidates.some((c) => c.name === name));
}

function describePick(placement: Placement): string {
  return Array.isArray(placement.nodes) ? placement.nodes.join(' | ') : 'the placement';
}
