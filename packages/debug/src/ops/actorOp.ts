/**
 * The `actor` op: `{"op":"actor","id":"..."}` answers `{"ok":true,"actor":{id,state,details}}`,
 * or `"actor":null` when no live actor has that id. The state is read with
 * `system.getState` (in mailbox order, also while the actor is suspended) and sent as
 * `previewOf(state)`, never the value itself; an actor that does not answer within
 * {@link ACTOR_ANSWER_TIMEOUT_MS} (busy with a long handler, or a long mailbox) gets an
 * `actor_timeout` error line.
 * @internal
 */
import { CallTimeoutError, formatReason, previewOf } from '@arbor/core';
import type { ActorDetails } from '../observer/source.js';
import { errorLine, jsonLine } from '../wire.js';
import { ACTOR_ANSWER_TIMEOUT_MS, type OpContext } from './OpContext.js';

/** The state preview's limits (shared with `localSource`): larger than a trace preview, still size-capped. */
export const STATE_PREVIEW = { maxLength: 4000, maxDepth: 4 } as const;

/**
 * The answer line to an `actor` request (never rejects).
 *
 * @example
 * await actorAnswer(ctx, ref.id); // '{"ok":true,"actor":{"id":"...","state":"{ count: 2 }","details":null}}\n'
 */
export async function actorAnswer(ctx: OpContext, id: string): Promise<string> {
  const ref = ctx.system.lookup(id);
  if (ref === undefined) return jsonLine({ ok: true, actor: null });
  let state: unknown;
  try {
    state = await ctx.system.getState(ref, { timeout: ACTOR_ANSWER_TIMEOUT_MS });
  } catch (e) {
    if (e instanceof CallTimeoutError) return errorLine('actor_timeout', `actor ${id} did not answer with its state within ${ACTOR_ANSWER_TIMEOUT_MS} ms (busy, or a long mailbox); ask again later`);
    if (!ctx.system.isAlive(ref)) return jsonLine({ ok: true, actor: null }); // it exited meanwhile
    return errorLine('internal_error', `reading the state of actor ${id} failed: ${formatReason(e)}`);
  }
  const status = ctx.system.getStatus(ref);
  const actor: ActorDetails = {
    id,
    state: previewOf(state, STATE_PREVIEW),
    details: status.details ?? null,
  };
  return jsonLine({ ok: true, actor });
}
