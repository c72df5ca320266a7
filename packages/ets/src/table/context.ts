import { ActorSystem, Behaviour, InvalidOptionError, type ActorRef } from '@arbor/core';

/**
 * What identifies the calling actor: the running behaviour instance (`this` in a
 * GenServer's handler, or in the hook of any other behaviour kind built on `Behaviour`).
 * Its `self` is read through `Behaviour`'s own getter, which only a started actor's
 * instance answers, so it cannot be faked by a lookalike object or an overriding getter.
 *
 * @example
 * override init() { this.state = Ets.whereis<string, number>(this, 'hits', 'set'); }
 */
export type ActorContext = Pick<Behaviour<any, any, any>, 'self' | 'system'>;

const selfGetter = Object.getOwnPropertyDescriptor(Behaviour.prototype, 'self')!.get!;
const systemGetter = Object.getOwnPropertyDescriptor(Behaviour.prototype, 'system')!.get!;

/** The actor and system of a context; `me` null for a system (code outside any actor). @internal */
export function identityOf(op: string, ctx: ActorContext | ActorSystem): { system: ActorSystem; me: ActorRef | null } {
  if (ctx instanceof ActorSystem) return { system: ctx, me: null };
  if (ctx instanceof Behaviour) return { system: systemGetter.call(ctx) as ActorSystem, me: selfGetter.call(ctx) as ActorRef };
  throw new InvalidOptionError(`${op}: context`, "the calling actor's behaviour (`this` in a GenServer or other behaviour) or an ActorSystem (outside any actor)", ctx);
}

/** The actor of a context; throws unless it is a started behaviour. @internal */
export function actorOf(op: string, ctx: ActorContext): { system: ActorSystem; me: ActorRef } {
  if (!(ctx instanceof Behaviour)) throw new InvalidOptionError(`${op}: context`, "the calling actor's behaviour (`this` in a GenServer or other behaviour)", ctx);
  return identityOf(op, ctx) as { system: ActorSystem; me: ActorRef };
}
