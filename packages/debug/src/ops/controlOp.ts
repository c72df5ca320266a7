/**
 * The `control` op: `{"op":"control","action":"kill|restart|suspend|resume","id":"..."}`
 * answers `{"ok":true}` (a restart also gives the new actor's `id`) or an error line:
 * `no_actor` (no live actor has the id), `not_supervised` (restart: the actor is not the
 * child of a supervisor), `not_restartable` (restart: a `DynamicSupervisor`'s child or a
 * temporary one, which a supervisor does not start again by id), `restart_failed`,
 * `actor_timeout`, or `endpoint_itself` (the endpoint does not kill, restart or suspend
 * itself: the answer could not be sent).
 *
 * `kill` is `exit(ref, 'kill')` and answers once the actor is dead; `suspend` and `resume`
 * are `system.suspend` / `system.resume`; `restart` finds the actor's supervisor and child
 * id in a dump, asks the supervisor for the child's spec (`get_childspec`), then calls its
 * `terminate_child` and `restart_child`: the calls of `Supervisor`. (A supervising
 * behaviour of your own that implements `describeSupervisor` should answer them too, or
 * answer an unknown call without crashing, as `DynamicSupervisor` does.)
 *
 * {@link controlActor} does the action and is shared with `localSource`; `controlAnswer`
 * turns its outcome into the answer line.
 * @internal
 */
import { CallTimeoutError, dumpSteps, formatReason, NoProcError, type ActorRef, type ChildSpec, type DumpNode, type RestartChildResult, type SupervisorProtocol } from '@arbor/core';
import type { ObserverControl } from '../observer/source.js';
import { inSlices, SlicesStopped } from '../slices.js';
import { errorLine, jsonLine } from '../wire.js';
import { ACTOR_ANSWER_TIMEOUT_MS, type OpContext } from './OpContext.js';

/** How long a restart may take: the child's shutdown, then its start. */
export const RESTART_TIMEOUT_MS = 30_000;

/** Why a control action was not done (the error line's code). */
export type ControlRefusal = 'no_actor' | 'not_supervised' | 'not_restartable' | 'restart_failed' | 'actor_timeout' | 'endpoint_itself' | 'internal_error';

/** What a control action came to: done (a restart gives the new actor's id), or why not. */
export type ControlOutcome = { readonly ok: true; readonly id?: string } | { readonly ok: false; readonly code: ControlRefusal; readonly message: string };

/**
 * The answer line to a `control` request (never rejects).
 *
 * @example
 * await controlAnswer(ctx, 'suspend', ref.id); // '{"ok":true}\n'
 */
export async function controlAnswer(ctx: OpContext, action: ObserverControl, id: string): Promise<string> {
  const outcome = await controlActor(ctx, action, id);
  return outcome.ok ? jsonLine(outcome) : errorLine(outcome.code, outcome.message);
}

/**
 * Does a control action on the live actor with this id (see the module comment); never
 * rejects: what went wrong is a refusal.
 *
 * @example
 * await controlActor({ system, self: undefined, closing: () => false }, 'restart', ref.id); // { ok: true, id: '<the new actor>' }
 */
export async function controlActor(ctx: OpContext, action: ObserverControl, id: string): Promise<ControlOutcome> {
  const ref = ctx.system.lookup(id);
  if (ref === undefined) return refused('no_actor', `no live actor has id ${id}`);
  if (ref.id === ctx.self?.id && action !== 'resume') return refused('endpoint_itself', `actor ${id} is the DebugEndpoint serving this request; it does not ${action} itself (stop it from the application)`);
  try {
    switch (action) {
      case 'kill':
        return await kill(ctx, ref);
      case 'suspend':
        await ctx.system.suspend(ref, { timeout: ACTOR_ANSWER_TIMEOUT_MS });
        return { ok: true };
      case 'resume':
        await ctx.system.resume(ref, { timeout: ACTOR_ANSWER_TIMEOUT_MS });
        return { ok: true };
      case 'restart':
        return await restart(ctx, ref);
    }
  } catch (e) {
    if (e instanceof CallTimeoutError) return refused('actor_timeout', `${action} of actor ${id}: no answer in time (${formatReason(e)})`);
    if (e instanceof NoProcError || !ctx.system.isAlive(ref)) return refused('no_actor', `actor ${id} exited before the ${action} was done`);
    if (e instanceof SlicesStopped) return refused('internal_error', 'closing');
    return refused('internal_error', `${action} of actor ${id} failed: ${formatReason(e)}`);
  }
  return refused('internal_error', `unknown action ${JSON.stringify(action)}`);
}

function refused(code: ControlRefusal, message: string): ControlOutcome {
  return { ok: false, code, message };
}

/** Kills `ref` (an untrappable exit) and answers once it is dead. */
function kill(ctx: OpContext, ref: ActorRef): Promise<ControlOutcome> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(refused('actor_timeout', `actor ${ref.id} was killed but is not dead after ${ACTOR_ANSWER_TIMEOUT_MS} ms`)), ACTOR_ANSWER_TIMEOUT_MS);
    ctx.system.monitor(ref, () => {
      clearTimeout(timer);
      resolve({ ok: true });
    });
    ctx.system.exit(ref, 'kill');
  });
}

/** Terminates and restarts `ref` through its supervisor (found in a dump built in slices). */
async function restart(ctx: OpContext, ref: ActorRef): Promise<ControlOutcome> {
  const d = await inSlices(dumpSteps(ctx.system), ctx.closing);
  const found = findWithParent(d.roots, ref.id);
  const node = found?.node;
  const parent = found?.parent;
  if (node === undefined || parent === undefined || parent.kind !== 'supervisor' || parent.id === null || node.childId === null) {
    return refused('not_supervised', `${ref.id} is not a supervisor's child; only a supervised child can be restarted (kill stops it)`);
  }
  const childId = node.childId;
  const sup = ctx.system.lookup(parent.id) as ActorRef<SupervisorProtocol> | undefined;
  if (sup === undefined) return refused('not_supervised', `its supervisor ${parent.id} is gone`);
  // A DynamicSupervisor answers calls it does not know with undefined: only a Supervisor keeps a spec by child id.
  const spec: unknown = childId === ref.id ? undefined : await ctx.system.call(sup, { type: 'get_childspec', id: childId }, { timeout: ACTOR_ANSWER_TIMEOUT_MS });
  if (spec === 'not_found') return refused('not_supervised', `its supervisor ${parent.id} has no child ${JSON.stringify(childId)} any more`);
  if (typeof spec !== 'object' || spec === null || (spec as ChildSpec).id !== childId) {
    return refused('not_restartable', `${parent.behaviour ?? 'its supervisor'} cannot restart a child by id (a DynamicSupervisor child: kill it and its restart type decides)`);
  }
  if ((spec as ChildSpec).restart === 'temporary') return refused('not_restartable', `child ${JSON.stringify(childId)} is temporary: its supervisor would forget it instead of restarting it`);
  await ctx.system.call(sup, { type: 'terminate_child', id: childId }, { timeout: RESTART_TIMEOUT_MS });
  const r: RestartChildResult = await ctx.system.call(sup, { type: 'restart_child', id: childId }, { timeout: RESTART_TIMEOUT_MS });
  if (r.status === 'ok') return { ok: true, id: r.ref.id };
  return refused('restart_failed', `child ${JSON.stringify(childId)} was terminated but did not start again (restart_child answered ${r.status}${r.status === 'error' ? `: ${formatReason(r.reason)}` : ''})`);
}

/** The node with this id and its parent node (undefined for a root), walking without recursion. */
function findWithParent(roots: readonly DumpNode[], id: string): { node: DumpNode; parent: DumpNode | undefined } | undefined {
  const stack: { node: DumpNode; parent: DumpNode | undefined }[] = roots.map((node) => ({ node, parent: undefined }));
  while (stack.length > 0) {
    const e = stack.pop()!;
    if (e.node.id === id) return e;
    for (const child of e.node.children) stack.push({ node: child, parent: e.node });
  }
  return undefined;
}
