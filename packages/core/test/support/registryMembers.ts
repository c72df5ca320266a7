import { GenServer, type Call, type RegisterResult, type RegistryHandle, type UpdateResult } from '../../src/index.js';

/** What a {@link Member} starts with: the registry it uses, and keys to register from init. */
export interface MemberArg {
  readonly registry: RegistryHandle<string, number, any>;
  readonly register?: readonly (readonly [key: string, value: number])[];
}

export interface MemberProtocol {
  call:
    | Call<'register', RegisterResult, { key: string; value: number }>
    | Call<'unregister', boolean, { key: string }>
    | Call<'unregisterMatch', number, { key: string; min: number }>
    | Call<'update', UpdateResult<number>, { key: string; by: number }>
    | Call<'registerAfterAwait', unknown, { key: string }>
    | Call<'get', number>;
  cast: { type: 'crash' };
}

/**
 * An actor that registers itself (the caller is the owner, as in Elixir): from `init`
 * (its `register` argument) and from its handlers.
 */
export class Member extends GenServer<MemberProtocol, RegistryHandle<string, number, any>, MemberArg> {
  override init(arg: MemberArg): void {
    this.state = arg.registry;
    for (const [key, value] of arg.register ?? []) arg.registry.register(key, value);
  }

  override handleCall(req: MemberProtocol['call']): RegisterResult | boolean | number | UpdateResult<number> | Promise<unknown> {
    const registry = this.state;
    switch (req.type) {
      case 'register':
        return registry.register(req.key, req.value);
      case 'unregister':
        return registry.unregister(req.key);
      case 'unregisterMatch':
        return registry.unregisterMatch(req.key, (v) => v >= req.min);
      case 'update':
        return registry.updateValue(req.key, (v) => v + req.by);
      case 'registerAfterAwait':
        return (async () => {
          await Promise.resolve();
          try {
            return registry.register(req.key, 0);
          } catch (e) {
            return e;
          }
        })();
      case 'get':
        return 0;
    }
  }

  override handleCast(_msg: { type: 'crash' }): void {
    throw new Error('member crashed');
  }
}
