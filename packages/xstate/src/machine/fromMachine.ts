import { InvalidOptionError, type BehaviourClass } from '@arbor/core';
import type { AnyActorLogic } from 'xstate';
import { MachineActor } from './MachineActor.js';

/** Options of {@link fromMachine}. */
export interface FromMachineOptions {
  /** The behaviour's name in logs, crash reports, `getStatus` and the dump (default: the machine's id). */
  readonly name?: string;
}

/** The behaviour class `fromMachine` returns: spawn it, start it, or put it in a child spec. */
export type MachineBehaviour<TLogic extends AnyActorLogic> = BehaviourClass<MachineActor<TLogic>> & { readonly logic: TLogic };

/**
 * Turns an xstate v5 machine (or any actor logic) into an Arbor behaviour. Its events are
 * the actor's typed casts, its snapshot is read by call ({@link getSnapshot}), an xstate
 * error crashes the actor with a `MachineFailedError` so its supervisor applies the
 * strategy, and when the actor exits, the xstate actor and every child it started stop.
 *
 * @example
 * const Light = fromMachine(lightMachine);
 * const light = await system.spawn(Light, {});
 * sendEvent(light, { type: 'TIMER' });
 * (await getSnapshot(light)).value; // 'yellow'
 */
export function fromMachine<TLogic extends AnyActorLogic>(logic: TLogic, options: FromMachineOptions = {}): MachineBehaviour<TLogic> {
  if (typeof logic !== 'object' || logic === null || typeof logic.transition !== 'function' || typeof logic.getInitialSnapshot !== 'function') {
    throw new InvalidOptionError('fromMachine(logic)', 'an xstate v5 machine (createMachine / setup().createMachine) or actor logic (fromPromise, fromCallback, ...)', logic);
  }
  if (typeof options !== 'object' || options === null) throw new InvalidOptionError('fromMachine options', 'an object ({ name? }) or undefined', options);
  if (options.name !== undefined && (typeof options.name !== 'string' || options.name === '')) {
    throw new InvalidOptionError('fromMachine options.name', 'a non-empty string', options.name);
  }
  const id = (logic as { id?: unknown }).id;
  const name = options.name ?? (typeof id === 'string' && id !== '' ? id : 'machine');
  const Behaviour = class extends MachineActor<TLogic> {
    static override readonly logic: TLogic = logic;
  };
  Object.defineProperty(Behaviour, 'name', { value: name });
  return Behaviour;
}
