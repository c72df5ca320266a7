import { defaultSystem, GenServer, InvalidOptionError, type ActorRef, type ActorSystem, type ChildSpec, type SystemInfo } from '@arbor/core';
import { identityOf, type ActorContext } from '../table/context.js';
import { Ets, type AnyTable, type TableOf } from '../table/Ets.js';
import { namedTables, settleOwner } from '../table/ownership.js';
import { NotStartedError, UnknownTableError } from './errors.js';
import { TableKeeper, type KeeperUp, type TableKeeperProtocol } from './TableKeeper.js';
import { checkDecl, type TableDecl } from './TableSpec.js';
import { checkOptionsObject, checkSystem } from '../table/checkOptions.js';

/**
 * The declared tables of an owner, by name.
 *
 * @example
 * const decls = { hits: TableSpec.set<string, number>() } satisfies TableDecls;
 */
export type TableDecls = Readonly<Record<string, TableDecl<any, any, any>>>;

/**
 * The handle type `ensureTable(name)` returns for a declared table.
 *
 * @example
 * type Hits = DeclaredTable<typeof decls, 'hits'>; // SetTable<string, number>
 */
export type DeclaredTable<D extends TableDecls, N extends keyof D> =
  D[N] extends TableDecl<infer T, infer K, infer V> ? TableOf<T, K, V> : never;

interface Running {
  readonly ref: ActorRef;
  readonly ctx: ActorContext;
  readonly tables: Map<string, AnyTable>;
}

/**
 * A table owner: one long-lived supervised actor that owns the application's shared
 * tables, so a table made on behalf of a short-lived actor outlives it.
 * `define` returns it; put `childSpec()` (and `keeperSpec()` before it, if any table is
 * declared with `keep`) in a supervisor's children.
 *
 * @example
 * const AppTables = TableOwner.define('app_tables', {
 *   worker_taints: TableSpec.set<string, Taint>(),
 * });
 * await Supervisor.start(system, { strategy: 'one_for_one', children: [AppTables.childSpec()] });
 * AppTables.ensureTable('worker_taints', system).insert('w1', taint);
 */
export interface TableOwnerDef<D extends TableDecls> {
  /** The owner's registered name (the keeper's is `<name>.keeper`). */
  readonly name: string;
  readonly tables: D;
  /** The owner's child spec (id and registered name: the owner's name). */
  childSpec(): ChildSpec;
  /** The keeper's child spec: start it before the owner when a table is declared with `keep`. */
  keeperSpec(): ChildSpec;
  /**
   * The declared table `name`, created if missing; idempotent, and a Map lookup when the
   * table exists (no message to the owner). The handle is bound to `ctx`: the calling
   * actor (`this`) or, for code outside any actor, its ActorSystem (default:
   * `defaultSystem()`). Throws UnknownTableError for an undeclared name and
   * NotStartedError when the owner is not running in that system.
   */
  ensureTable<N extends keyof D & string>(name: N, ctx?: ActorContext | ActorSystem): DeclaredTable<D, N>;
  /** True while the owner runs in `system` (default: `defaultSystem()`). */
  isRunning(system?: ActorSystem): boolean;
}

function define<D extends TableDecls>(name: string, tables: D): TableOwnerDef<D> {
  if (typeof name !== 'string' || name === '') throw new InvalidOptionError('TableOwner.define: name', 'a non-empty string', name);
  checkOptionsObject('TableOwner.define: tables', tables, 'an object of TableSpec declarations, such as { hits: TableSpec.set() }');
  const names = Object.keys(tables);
  for (const t of names) checkDecl(`TableOwner.define: tables.${t}`, tables[t]);
  const keeperName = `${name}.keeper`;
  const running = new WeakMap<ActorSystem, Running>();

  const createTable = (ctx: ActorContext, system: ActorSystem, table: string): AnyTable => {
    const d = tables[table]!;
    const keeper = d.keep ? system.whereis(keeperName) : undefined;
    if (d.keep && keeper === undefined) {
      system.logger.warn('table declared with keep but its keeper is not running: it will not survive an owner crash', {
        report: 'ets_keeper_missing',
        owner: name,
        table,
      });
    }
    return Ets.create(ctx, { type: d.type, name: table, access: d.access, ...(keeper !== undefined ? { heir: { ref: keeper, data: table } } : {}) });
  };

  class TableOwnerActor extends GenServer<{ info: { type: 'ets_transfer' } | KeeperUp }, undefined, void> {
    override async init(): Promise<void> {
      const system = this.system;
      const named = namedTables(system);
      // A crashed predecessor's tables: settle them now (deleted, or held by the keeper).
      for (const t of names) {
        const s = named.get(t);
        if (s !== undefined) settleOwner(s);
      }
      const keeper = system.whereis<TableKeeperProtocol>(keeperName);
      const kept = names.filter((t) => tables[t]!.keep);
      if (keeper !== undefined && kept.length > 0) {
        await this.call(keeper, { type: 'reclaim', owner: this.self, tables: kept.map((t) => [t, tables[t]!.type] as const) });
      }
      const handles = new Map<string, AnyTable>();
      for (const t of names) {
        const mine = Ets.whereis(this, t, tables[t]!.type);
        if (mine !== undefined && mine.isOwner) {
          if (keeper !== undefined) mine.setHeir(keeper, t);
          handles.set(t, mine.as(system));
        } else handles.set(t, createTable(this, system, t).as(system));
      }
      running.set(system, { ref: this.self, ctx: this, tables: handles });
    }

    override handleInfo(msg: { type: 'ets_transfer' } | KeeperUp | SystemInfo): void {
      // Transfers back from the keeper are taken in init; the tables' state already says so.
      if (msg.type !== 'keeper_up') return;
      // A restarted keeper: the keep tables' heir is the dead one, so point them at this one.
      const r = running.get(this.system);
      if (r === undefined || r.ref !== this.self || !this.system.isAlive(msg.keeper)) return;
      for (const t of names) {
        if (!tables[t]!.keep) continue;
        const mine = r.tables.get(t)?.as(this);
        if (mine !== undefined && mine.isOwner) mine.setHeir(msg.keeper, t);
      }
    }

    override terminate(): void {
      const r = running.get(this.system);
      if (r !== undefined && r.ref === this.self) running.delete(this.system);
    }
  }
  Object.defineProperty(TableOwnerActor, 'name', { value: `TableOwner(${name})` });

  const ensureTable = <N extends keyof D & string>(table: N, ctx: ActorContext | ActorSystem = defaultSystem()): DeclaredTable<D, N> => {
    const { system, me } = identityOf('ensureTable', ctx);
    const r = running.get(system);
    if (!Object.prototype.hasOwnProperty.call(tables, table)) throw new UnknownTableError(name, String(table), names);
    if (r === undefined || !system.isAlive(r.ref)) throw new NotStartedError(name, r === undefined ? '' : ' (it exited; its supervisor may be restarting it)');
    let h = r.tables.get(table);
    if (h === undefined || !h.alive) {
      h = createTable(r.ctx, system, table).as(system);
      r.tables.set(table, h);
    }
    return (me === null ? h : h.as(ctx)) as DeclaredTable<D, N>;
  };

  return {
    name,
    tables,
    childSpec: () => ({ id: name, start: { behaviour: TableOwnerActor, arg: undefined, options: { name } } }),
    keeperSpec: () => ({ id: keeperName, start: { behaviour: TableKeeper, arg: name, options: { name: keeperName } } }),
    ensureTable,
    isRunning(system: ActorSystem = defaultSystem()): boolean {
      checkSystem('isRunning: system', system);
      const r = running.get(system);
      return r !== undefined && system.isAlive(r.ref);
    },
  };
}

/**
 * Table owners (one supervised actor owns an application's shared tables): `TableOwner.define(name, tables)`.
 *
 * @example
 * const AppTables = TableOwner.define('app_tables', { hits: TableSpec.set<string, number>() });
 */
export const TableOwner = { define };
