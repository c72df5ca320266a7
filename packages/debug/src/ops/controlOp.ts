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
 * @internal
 */
import { CallTimeoutError, dumpSteps, formatReason, NoProcError, type ActorRef, type ChildSpec, type DumpNode, type RestartChildResult, type SupervisorProtocol } from '@arbor/core';
import { inSlices, SlicesStopped } from '../slices.js';
import { errorLine, jsonLine, type ControlAction } from '../wire.js';
import { ACTOR_ANSWER_TIMEOUT_MS, type OpContext } from './OpContext.js';

/** How long a restart may take: the child's shutdown, then its start. */
export const RESTART_TIMEOUT_MS = 30_000;

/**
 * The answer line to a `control` request (never rejects).
 *
 * @example
 * await controlAnswer(ctx, 'suspend', ref.id); // '{"ok":true}\n'
 */
export async function controlAnswer(ctx: OpContext, action: ControlAction, id: string): Promise<string> {
  const ref = ctx.system.lookup(id);
  if (ref === undefined) return errorLine('no_actor', `no live actor has id ${id}`);
  if (ref.id === ctx.self.id && action !== 'resume') return errorLine('endpoint_itself', `actor ${id} is the DebugEndpoint serving this request; it does not ${action} itself (stop it from the application)`);
  try {
    switch (action) {
      case 'kill':
        return await kill(ctx, ref);
      case 'suspend':
        await ctx.system.suspend(ref, { timeout: ACTOR_ANSWER_TIMEOUT_MS });
        return jsonLine({ ok: true });
      case 'resume':
        await ctx.system.resume(ref, { timeout: ACTOR_ANSWER_TIMEOUT_MS });
        return jsonLine({ ok: true });
      case 'restart':
        return await restart(ctx, ref);
    }
  } catch (e) {
    if (e instanceof CallTimeoutError) return errorLine('actor_timeout', `${action} of actor ${id}: no answer in time (${formatReason(e)})`);
    if (e instanceof NoProcError || !ctx.system.isAlive(ref)) return errorLine('no_actor', `actor ${id} exited before the ${action} was done`);
    if (e instanceof SlicesStopped) return errorLine('internal_error', 'the endpoint is closing');
    return errorLine('internal_error', `${action} of actor ${id} failed: ${formatReason(e)}`);
  }
}

/** Kills `ref` (an untrappable exit) and answers once it is dead. */
function kill(ctx: OpContext, ref: ActorRef): Promise<string> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(errorLine('actor_timeout', `actor ${ref.id} was killed but is not dead after ${ACTOR_ANSWER_TIMEOUT_MS} ms`)), ACTOR_ANSWER_TIMEOUT_MS);
    ctx.system.monitor(ref, () => {
      clearTimeout(timer);
      resolve(jsonLine({ ok: true }));
    });
    ctx.system.exit(ref, 'kill');
  });
}

/** Terminates and restarts `ref` through its supervisor (found in a dump built in slices). */
async function restart(ctx: OpContext, ref: ActorRef): Promise<string> {
  const d = await inSlices(dumpSteps(ctx.system), ctx.closing);
  const found = findWithParent(d.roots, ref.id);
  const node = found?.node;
  const parent = found?.parent;
  if (node === undefined || parent === undefined || parent.kind !== 'supervisor' || parent.id === null || node.childId === null) {
    return errorLine('not_supervised', `actor ${ref.id} is not the child of a supervisor, so nothing would start it again; kill it instead`);
  }
  const childId = node.childId;
  if (childId === ref.id) return errorLine('not_restartable', `actor ${ref.id} is a DynamicSupervisor's child: it has no child id to restart it by; kill it and its restart type decides`);
  const sup = ctx.system.lookup(parent.id) as ActorRef<SupervisorProtocol> | undefined;
  if (sup === undefined) return errorLine('not_supervised', `the supervisor of actor ${ref.id} exited`);
  const spec: unknown = await ctx.system.call(sup, { type: 'get_childspec', id: childId }, { timeout: ACTOR_ANSWER_TIMEOUT_MS });
  if (spec === 'not_found') return errorLine('not_supervised', `the supervisor of actor ${ref.id} has no child ${JSON.stringify(childId)} any more`);
  // A DynamicSupervisor answers calls it does not know with undefined: it keeps no spec by id.
  if (typeof spec !== 'object' || spec === null || (spec as ChildSpec).id !== childId) {
    return errorLine('not_restartable', `the supervisor of actor ${ref.id} keeps no child spec by id (a DynamicSupervisor): kill the actor and its restart type decides`);
  }
  if ((spec as ChildSpec).restart === 'temporary') return errorLine('not_restartable', `child ${JSON.stringify(childId)} is temporary: its supervisor forgets it once it stops, so it cannot be restarted`);
  await ctx.system.call(sup, { type: 'terminate_child', id: childId }, { timeout: RESTART_TIMEOUT_MS });
  const r: RestartChildResult = await ctx.system.call(sup, { type: 'restart_child', id: childId }, { timeout: RESTART_TIMEOUT_MS });
  if (r.status === 'ok') return jsonLine({ ok: true, id: r.ref.id });
  const why = r.status === 'error' ? `error: ${formatReason(r.reason)}` : r.status;
  return errorLine('restart_failed', `child ${JSON.stringify(childId)} was terminated but did not start again (${why})`);
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
