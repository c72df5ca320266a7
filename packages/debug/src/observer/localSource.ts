import {
  ActorSystem,
  dumpSteps,
  formatReason,
  InvalidOptionError,
  NoProcError,
  previewOf,
  Supervisor,
  type ActorRef,
  type Dump,
  type DumpNode,
  type SupervisorProtocol,
} from '@arbor/core';
import { ObserverClosedError } from '../errors.js';
import { inSlices, SlicesStopped } from '../slices.js';
import type { ActorDetails, ObserverControl, ObserverSource, SourceTrace } from './source.js';

/** How long reading an actor's state for the side panel may take before the panel shows it as unavailable. */
const STATE_TIMEOUT_MS = 2000;
/** The state preview's limits: larger than a trace preview, still size-capped. */
const STATE_PREVIEW = { maxLength: 4000, maxDepth: 4 } as const;
const CONTROLS: readonly ObserverControl[] = ['kill', 'restart', 'suspend', 'resume'];

/**
 * The observer's source for a system in this process: dumps are built in slices (the
 * event loop gets a turn every few milliseconds), an actor's state is read with
 * `getState` and shown as `previewOf(state)`, traces are `system.trace`, and control
 * actions use the public API (`exit(ref, 'kill')`, `suspend`, `resume`; `restart` =
 * `Supervisor.terminateChild` then `restartChild` in the actor's supervisor).
 *
 * @example
 * const observer = await startObserver(localSource(system));
 * console.log(observer.url); // http://127.0.0.1:41234/?token=...
 */
export function localSource(system: ActorSystem): ObserverSource {
  if (!(system instanceof ActorSystem)) throw new InvalidOptionError('localSource: system', 'an ActorSystem (createSystem())', system);
  let closed = false;
  const live = (id: string): ActorRef | undefined => {
    const ref = system.lookup(id);
    return ref !== undefined && system.getStatus(ref).status !== 'dead' ? ref : undefined;
  };
  return {
    async dump(): Promise<Dump> {
      if (closed) throw new ObserverClosedError('localSource.dump');
      try {
        return await inSlices(dumpSteps(system), () => closed);
      } catch (e) {
        if (e instanceof SlicesStopped) throw new ObserverClosedError('localSource.dump');
        throw e;
      }
    },

    async actor(id: string): Promise<ActorDetails | null> {
      checkId(id);
      if (closed) throw new ObserverClosedError('localSource.actor');
      const ref = live(id);
      if (ref === undefined) return null;
      const details = system.getStatus(ref).details ?? null;
      let state: string;
      try {
        state = previewOf(await system.getState(ref, { timeout: STATE_TIMEOUT_MS }), STATE_PREVIEW);
      } catch (e) {
        if (live(id) === undefined) return null;
        state = `(state not available: ${formatReason(e)})`;
      }
      return { id, state, details };
    },

    async trace(id, options, onEvent): Promise<SourceTrace> {
      checkId(id);
      if (closed) throw new ObserverClosedError('localSource.trace');
      const ref = live(id);
      if (ref === undefined) throw new NoProcError(id, 'trace');
      const trace = system.trace(ref, { tracer: onEvent, max: options.max, ...(options.kinds === undefined ? {} : { kinds: options.kinds }) });
      return { stop: () => trace.stop(), ended: trace.ended };
    },

    async control(action: ObserverControl, id: string) {
      checkId(id);
      if (!CONTROLS.includes(action)) throw new InvalidOptionError('control: action', "'kill', 'restart', 'suspend' or 'resume'", action);
      if (closed) throw new ObserverClosedError('localSource.control');
      const ref = live(id);
      if (ref === undefined) return { ok: false, reason: `no live actor has id ${id}` } as const;
      switch (action) {
        case 'kill':
          system.exit(ref, 'kill');
          return { ok: true } as const;
        case 'suspend':
          await system.suspend(ref);
          return { ok: true } as const;
        case 'resume':
          await system.resume(ref);
          return { ok: true } as const;
        case 'restart':
          return restartChild(system, id);
      }
    },

    async close(): Promise<void> {
      closed = true;
    },
  };
}

function checkId(id: unknown): asserts id is string {
  if (typeof id !== 'string' || id === '') throw new InvalidOptionError('id', "an actor's id (a non-empty string)", id);
}

/** Restarts a static supervisor's child: terminate then restart it by its child id, as `Supervisor.terminateChild`/`restartChild` do. */
async function restartChild(system: ActorSystem, id: string): Promise<{ readonly ok: true } | { readonly ok: false; readonly reason: string }> {
  const found = await inSlices(dumpSteps(system), () => false).then((d) => findParent(d.roots, id, null));
  const parent = found?.parent;
  const childId = found?.node.childId ?? null;
  if (found === undefined || parent === null || parent === undefined || parent.kind !== 'supervisor' || parent.id === null || childId === null) {
    return { ok: false, reason: `${id} is not a supervisor's child; only a supervised child can be restarted (kill stops it)` };
  }
  const sup = system.lookup(parent.id) as ActorRef<SupervisorProtocol> | undefined;
  if (sup === undefined) return { ok: false, reason: `its supervisor ${parent.id} is gone` };
  // A DynamicSupervisor answers requests it does not know with undefined: only a Supervisor gives a spec.
  const spec: unknown = await Supervisor.getChildSpec(sup, childId);
  if (spec === undefined || spec === 'not_found') {
    return { ok: false, reason: `${parent.behaviour ?? 'its supervisor'} cannot restart a child by id (a DynamicSupervisor child: kill it and its restart policy decides)` };
  }
  if ((spec as { restart?: string }).restart === 'temporary') return { ok: false, reason: `child ${childId} is temporary: its supervisor would forget it instead of restarting it` };
  await Supervisor.terminateChild(sup, childId);
  const r = await Supervisor.restartChild(sup, childId);
  if (r.status === 'ok') return { ok: true };
  return { ok: false, reason: `restartChild(${childId}) answered ${r.status}${r.status === 'error' ? `: ${formatReason(r.reason)}` : ''}` };
}

/** The node with `id` and its parent node (null for a root), or undefined. */
function findParent(nodes: readonly DumpNode[], id: string, parent: DumpNode | null): { node: DumpNode; parent: DumpNode | null } | undefined {
  for (const node of nodes) {
    if (node.id === id) return { node, parent };
    const deeper = findParent(node.children, id, node);
    if (deeper !== undefined) return deeper;
  }
  return undefined;
}
