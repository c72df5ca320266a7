import { type ActorRef, isThenable } from '../kernel/index.js';
import type { Call } from '../actor/Protocol.js';
import { Behaviour, type CallOptions } from '../behaviour/Behaviour.js';
import type { StatusDetails } from '../behaviour/StatusDetails.js';
import { InvalidOptionError } from '../errors/errors.js';
import type { ExitReason } from '../exit/ExitReason.js';
import type { ActorSystem } from '../system/ActorSystem.js';
import { call, cast } from '../system/defaultSystem.js';
import type { SpawnOptions } from '../system/SpawnOptions.js';
import { checkFunction } from '../validation/function.js';
import { checkOptions } from '../validation/options.js';
import { checkSystem } from '../validation/system.js';
import { withOverrides, type ChildSpec, type ChildSpecOverrides } from '../supervisor/ChildSpec.js';

/** An agent's start function: the initial state (or a promise of it). */
export type AgentInit<S> = () => S | PromiseLike<S>;

/** What an agent accepts. Use the `Agent.*` functions rather than these messages. */
export interface AgentProtocol<S> {
  call:
    | Call<'get', unknown, { readonly fn: (state: S) => unknown }>
    | Call<'update', 'ok', { readonly fn: (state: S) => S }>
    | Call<'get_and_update', unknown, { readonly fn: (state: S) => readonly [unknown, S] }>;
  cast: { readonly type: 'cast'; readonly fn: (state: S) => S };
}

/** A running agent holding state of type `S`. */
export type AgentRef<S> = ActorRef<AgentProtocol<S>>;

/**
 * A state holder (Elixir's `Agent`): an actor whose state is read and changed by
 * functions run inside it, one at a time. A function that throws crashes the agent (the
 * caller's promise rejects with `CallExitError`), and a supervisor restarts it from its
 * start function. The state type is inferred from the start function.
 *
 * @example
 * const counter = await Agent.start(system, () => 0);       // AgentRef<number>
 * await Agent.update(counter, (n) => n + 1);
 * const n = await Agent.get(counter, (n) => n);             // 1, typed as number
 * const old = await Agent.getAndUpdate(counter, (n) => [n, n * 10] as const);
 */
export class Agent<S = unknown> extends Behaviour<AgentProtocol<S>, S, AgentInit<S>> {
  override onInit(init: AgentInit<S>): void | Promise<void> {
    checkFunction('init', init, INIT);
    systems.set(this.self, this.system);
    const s = init();
    if (isThenable(s)) {
      return Promise.resolve(s).then((v) => {
        this.state = v;
      });
    }
    this.state = s;
  }

  override onCall(req: AgentProtocol<S>['call']): unknown {
    switch (req.type) {
      case 'get':
        return req.fn(this.state);
      case 'update':
        this.state = req.fn(this.state);
        return 'ok';
      case 'get_and_update': {
        const [reply, next] = req.fn(this.state);
        this.state = next;
        return reply;
      }
    }
  }

  override onCast(msg: AgentProtocol<S>['cast']): void {
    this.state = msg.fn(this.state);
  }

  override formatStatus(): StatusDetails {
    const s: unknown = this.state;
    return { state: s === null || typeof s !== 'object' ? describePrimitive(s) : Array.isArray(s) ? `array(${s.length})` : 'object' };
  }

  // ------------------------------------------------------------------ static API

  /**
   * Starts an agent (not linked) whose state is what `init` returns (or resolves to).
   *
   * @example
   * const cache = await Agent.start(system, () => new Map<string, string>(), { name: 'cache' });
   */
  static start<S>(system: ActorSystem, init: AgentInit<S>, options?: SpawnOptions): Promise<AgentRef<S>> {
    try {
      checkSystem('Agent.start: system', system);
      checkFunction('Agent.start: init', init, INIT);
    } catch (e) {
      return Promise.reject(e);
    }
    return system.spawn(Agent<S>, init, options);
  }

  /**
   * Starts an agent linked to the calling actor `owner` (pass `this` from a hook).
   *
   * @example
   * this.seen = await Agent.startLink(this, () => new Set<string>());
   */
  static startLink<S>(owner: Behaviour<any, any, any>, init: AgentInit<S>, options?: SpawnOptions): Promise<AgentRef<S>> {
    try {
      if (!(owner instanceof Behaviour)) throw new InvalidOptionError('Agent.startLink: owner', 'the calling actor (pass `this` from a GenServer hook)', owner);
      checkFunction('Agent.startLink: init', init, INIT);
      return owner.spawnLink(Agent<S>, init, options);
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /**
   * The child spec of an agent in a supervision tree: a restart runs `init` again.
   *
   * @example
   * Supervisor.start(system, { strategy: 'one_for_one', children: [Agent.childSpec(() => 0, { id: 'hits', options: { name: 'hits' } })] });
   */
  static childSpec<S>(init: AgentInit<S>, overrides?: ChildSpecOverrides): ChildSpec<Agent<S>> {
    checkFunction('Agent.childSpec: init', init, INIT);
    checkOptions('Agent.childSpec: overrides', overrides, '{ id?, restart?, shutdown?, type?, significant?, options? }');
    return withOverrides<ChildSpec<Agent<S>>>({ id: 'Agent', start: { behaviour: Agent<S>, arg: init } }, overrides);
  }

  /**
   * Reads the state through `fn`, run inside the agent.
   *
   * @example
   * const size = await Agent.get(cache, (m) => m.size);
   */
  static get<S, R>(agent: AgentRef<S>, fn: (state: S) => R, options?: CallOptions): Promise<R> {
    return callAgent(agent, { type: 'get', fn }, options, 'get') as Promise<R>;
  }

  /**
   * Replaces the state with `fn(state)` and resolves once done.
   *
   * @example
   * await Agent.update(counter, (n) => n + 1);
   */
  static update<S>(agent: AgentRef<S>, fn: (state: S) => S, options?: CallOptions): Promise<void> {
    return callAgent(agent, { type: 'update', fn }, options, 'update').then(() => undefined);
  }

  /**
   * Runs `fn(state)`, which returns `[reply, newState]`: stores the new state, resolves with the reply.
   *
   * @example
   * const ticket = await Agent.getAndUpdate(counter, (n) => [n, n + 1]);
   */
  static getAndUpdate<S, R>(agent: AgentRef<S>, fn: (state: S) => readonly [R, S], options?: CallOptions): Promise<R> {
    return callAgent(agent, { type: 'get_and_update', fn }, options, 'getAndUpdate') as Promise<R>;
  }

  /**
   * Replaces the state with `fn(state)` without waiting (a dead agent is a no-op).
   *
   * @example
   * Agent.cast(counter, (n) => n + 1);
   */
  static cast<S>(agent: AgentRef<S>, fn: (state: S) => S): void {
    if (typeof fn !== 'function') throw new InvalidOptionError('cast: fn', 'a function (state) => newState', fn);
    cast(agent, { type: 'cast', fn });
  }

  /**
   * Stops the agent with `reason` (default `normal`) and resolves once it is dead.
   *
   * @example
   * await Agent.stop(counter);
   */
  static stop(agent: AgentRef<any>, reason: ExitReason = 'normal', options?: CallOptions): Promise<void> {
    try {
      return systemOfAgent(agent).stop(agent, reason, options);
    } catch (e) {
      return Promise.reject(e);
    }
  }
}

/** What an agent's start function must be. */
const INIT = 'a function () => initial state';

const systems = new WeakMap<object, ActorSystem>();

/** The system an agent runs in (remembered by its `onInit`), so `Agent.stop` needs no system argument. */
function systemOfAgent(agent: AgentRef<any>): ActorSystem {
  const system = systems.get(agent);
  if (system === undefined) throw new InvalidOptionError('agent', 'an AgentRef returned by Agent.start, Agent.startLink or a supervisor', agent);
  return system;
}

function callAgent(agent: AgentRef<any>, req: AgentProtocol<any>['call'], options: CallOptions | undefined, operation: string): Promise<unknown> {
  if (typeof req.fn !== 'function') return Promise.reject(new InvalidOptionError(`${operation}: fn`, 'a function of the state', req.fn));
  return call(agent as AgentRef<unknown>, req as never, options);
}

function describePrimitive(v: unknown): string | number | boolean | null {
  if (v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))) return v as string | number | boolean | null;
  return typeof v;
}
