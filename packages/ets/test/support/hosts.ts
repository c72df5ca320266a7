import { call, createSystem, GenServer, type ActorRef, type ActorSystem, type Call, type SystemInfo } from '@arbor/core';
import type { AnyTable, EtsTransfer } from '../../src/index.js';

/** What a {@link Host} accepts: run a function in its handler (with `this` as context). */
export interface HostProtocol {
  call: Call<'run', unknown, { fn: (self: Host) => unknown }>;
  cast: { type: 'crash' };
  info: EtsTransfer<AnyTable<any, any>>;
}

/** An actor that runs test code in its own handlers and records the tables it receives. */
export class Host extends GenServer<HostProtocol, { transfers: EtsTransfer<AnyTable<any, any>>[] }> {
  override init(): void {
    this.state = { transfers: [] };
  }
  override async handleCall(req: HostProtocol['call']): Promise<unknown> {
    return await req.fn(this);
  }
  override handleCast(): void {
    throw new Error('crash requested');
  }
  override handleInfo(msg: EtsTransfer<AnyTable<any, any>> | SystemInfo): void {
    if (msg.type === 'ets_transfer') this.state.transfers.push(msg as EtsTransfer<AnyTable<any, any>>);
  }
}

/** Runs `fn` inside the host actor's handler and returns its result. */
export function inActor<R>(ref: ActorRef<HostProtocol>, fn: (self: Host) => R | Promise<R>): Promise<R> {
  return call(ref, { type: 'run', fn }, { timeout: 20_000 }) as Promise<R>;
}

/** A fresh system and `n` host actors in it. */
export async function hosts(n: number): Promise<{ system: ActorSystem; refs: ActorRef<HostProtocol>[] }> {
  const system = createSystem({ name: 'ets-test' });
  const refs: ActorRef<HostProtocol>[] = [];
  for (let i = 0; i < n; i++) refs.push(await system.spawn(Host, undefined));
  return { system, refs };
}

export { settle } from '@arbor/test-support';
