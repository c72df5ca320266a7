import { ActorSystem, behaviourContext, InvalidOptionError, type ActorRef, type Behaviour } from '@arbor/core';

/**
 * What identifies the calling actor: the running behaviour instance (`this` in a
 * GenServer's handler, or in the hook of any other behaviour kind built on `Behaviour`).
 * It is read with core's `behaviourContext`, which only a started actor's instance
 * answers, so it cannot be faked by a lookalike object or an overriding getter.
 *
 * @example
 * override init() { this.state = Ets.whereis<string, number>(this, 'hits', 'set'); }
 */
export type ActorContext = Pick<Behaviour<any, any, any>, 'self' | 'system'>;

const ACTOR = "the calling actor's behaviour (`this` in a started GenServer or other behaviour)";

/** The actor and system of a context; `me` null for a system (code outside any actor). @internal */
export function identityOf(op: string, ctx: ActorContext | ActorSystem): { system: ActorSystem; me: ActorRef | null } {
  if (ctx instanceof ActorSystem) return { system: ctx, me: null };
  const c = behaviourContext(ctx);
  if (c === undefined) throw new InvalidOptionError(`${op}: context`, `${ACTOR} or an ActorSystem (outside any actor)`, ctx);
  return { system: c.system, me: c.self };
}

/** The actor of a context; throws unless it is a started behaviour. @internal */
export function actorOf(op: string, ctx: ActorContext): { system: ActorSystem; me: ActorRef } {
  const c = behaviourContext(ctx);
  if (c === undefined) throw new InvalidOptionError(`${op}: context`, ACTOR, ctx);
  return { system: c.system, me: c.self };
}
