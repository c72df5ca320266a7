/**
 * The owner actor of the table workloads' tables: tables must be owned by an actor, so
 * each workload spawns one and takes the owner's handle from it (outside the timing).
 */
import { call, GenServer, type ActorSystem, type Call } from '@arbor/core';
import { Ets, type OrderedTable, type SetTable } from '@arbor/ets';

interface TableHostProtocol {
  call: Call<'set', SetTable<any, number>> | Call<'ordered', OrderedTable<number, number>>;
}

class TableHost extends GenServer<TableHostProtocol> {
  override handleCall(req: TableHostProtocol['call']): SetTable<any, number> | OrderedTable<number, number> {
    return req.type === 'set'
      ? Ets.create<any, number>(this, { type: 'set', access: 'public' })
      : Ets.create<number, number>(this, { type: 'ordered_set', access: 'public' });
  }
}

/** A fresh public set owned by a new host actor in `system` (the owner's handle). */
export async function newSet<K extends string | number>(system: ActorSystem): Promise<SetTable<K, number>> {
  const host = await system.spawn(TableHost, undefined);
  return (await call(host, { type: 'set' })) as SetTable<K, number>;
}

/** A fresh public ordered_set owned by a new host actor in `system`. */
export async function newOrdered(system: ActorSystem): Promise<OrderedTable<number, number>> {
  const host = await system.spawn(TableHost, undefined);
  return call(host, { type: 'ordered' });
}

/** `n` distinct random numeric keys (random doubles, so neither structure gets sorted input). */
export function randomKeys(n: number): number[] {
  const seen = new Set<number>();
  while (seen.size < n) seen.add(Math.random() * 1e12);
  return [...seen];
}
