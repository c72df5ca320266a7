import {
  ActorSystem,
  dumpSteps,
  formatReason,
  InvalidOptionError,
  NoProcError,
  previewOf,
  type ActorRef,
  type Dump,
} from '@arbor/core';
import { ObserverClosedError } from '../errors.js';
import { STATE_PREVIEW } from '../ops/actorOp.js';
import { controlActor } from '../ops/controlOp.js';
import { ACTOR_ANSWER_TIMEOUT_MS } from '../ops/OpContext.js';
import { inSlices, SlicesStopped } from '../slices.js';
import { CONTROL_ACTIONS } from '../wire.js';
import type { ActorDetails, ObserverControl, ObserverSource, SourceTrace } from './source.js';


/**
 * The observer's source for a system in this process: dumps are built in slices (the
 * event loop gets a turn every few milliseconds), an actor's state is read with
 * `getState` and shown as `previewOf(state)`, traces are `system.trace`, and control
 * actions are those of the endpoint's `control` op (`exit(ref, 'kill')`, `suspend`,
 * `resume`; `restart` = terminate then restart the child in the actor's supervisor).
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
        state = previewOf(await system.getState(ref, { timeout: ACTOR_ANSWER_TIMEOUT_MS }), STATE_PREVIEW);
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
      if (!CONTROL_ACTIONS.has(action)) throw new InvalidOptionError('control: action', "'kill', 'restart', 'suspend' or 'resume'", action);
      if (closed) throw new ObserverClosedError('localSource.control');
      if (live(id) === undefined) return { ok: false, reason: `no live actor has id ${id}` } as const;
      const outcome = await controlActor({ system, self: undefined, closing: () => closed }, action, id);
      return outcome.ok ? ({ ok: true } as const) : ({ ok: false, reason: outcome.message } as const);
    },

    async close(): Promise<void> {
      closed = true;
    },
  };
}

function checkId(id: unknown): asserts id is string {
  if (typeof id !== 'string' || id === '') throw new InvalidOptionError('id', "an actor's id (a non-empty string)", id);
}
