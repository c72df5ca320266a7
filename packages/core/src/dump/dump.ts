import { type Cell, isCell, RemoteActorRef, sinkOf, statusOf } from '../kernel/index.js';
import { InvalidOptionError } from '../errors/errors.js';
import { formatReason } from '../exit/ExitReason.js';
import { describeName } from '../names/NameProvider.js';
import { describeSupervisor, isSupervising, type SupervisedChildInfo, type SupervisorInfo } from '../supervisor/introspection.js';
import { ActorSystem as ActorSystemClass, type ActorSystem } from '../system/ActorSystem.js';
import type { Dump, DumpMemory, DumpNode, DumpOptions } from './DumpNode.js';

const DEFAULT_MAX_DEPTH = 500;

/** A node while it is being filled in. */
type Building = Omit<DumpNode, 'children' | 'omitted'> & { children: DumpNode[]; omitted?: number };

/** One child slot of a node: a live actor, or a supervisor child without one. */
type Slot = { readonly cell: Cell; readonly info: SupervisedChildInfo | undefined } | { readonly cell: null; readonly info: SupervisedChildInfo };

/**
 * Takes a synchronous snapshot of the system's live tree: every live actor appears once,
 * under the actor that spawnLinked it (or under the supervisor that reports it), with its
 * names, status, mailbox length, links, monitors and, under a supervisor, its restart
 * count and last exit reason. Plain JSON data: `JSON.stringify(dump(system))` is the JSON
 * form and {@link renderDump} the text form. O(number of actors).
 *
 * @example
 * const d = dump(system);
 * console.log(renderDump(d));
 * fs.writeFileSync('tree.json', JSON.stringify(d));
 */
export function dump(system: ActorSystem, options?: DumpOptions): Dump {
  return runToEnd(dumpSteps(system, options));
}

/**
 * The steps of {@link dump}: a generator that yields after each actor it indexes or
 * places, and returns the dump (the generator's return value). `dump` runs it at once;
 * a caller that must not hold the event loop (such as `@arbor/debug`'s `DebugEndpoint`)
 * runs it in slices, so a large tree does not stall the application. Actors that exit
 * between slices show with their status at the time they were placed (or `dead`).
 * Throws `InvalidOptionError` at once, like `dump`, for a bad system or options.
 *
 * @example
 * const steps = dumpSteps(system);
 * let r = steps.next();
 * while (r.done !== true) {
 *   await new Promise((resolve) => setImmediate(resolve)); // a turn for the event loop
 *   r = steps.next();
 * }
 * console.log(renderDump(r.value));
 */
export function dumpSteps(system: ActorSystem, options?: DumpOptions): Generator<void, Dump, void> {
  if (!(system instanceof ActorSystemClass)) {
    throw new InvalidOptionError('system', 'an ActorSystem (from createSystem); call dump(system) or dump(system, { maxDepth })', system);
  }
  const maxDepth = maxDepthOf(options);
  return new Snapshot(system).steps(maxDepth);
}

/** The process's memory, as the dump carries it. */
function memoryNow(): DumpMemory {
  const m = process.memoryUsage();
  return { rssBytes: m.rss, heapUsedBytes: m.heapUsed };
}

/** Runs a generator to its end and returns its value. @internal */
export function runToEnd<T>(steps: Generator<unknown, T, void>): T {
  for (;;) {
    const r = steps.next();
    if (r.done === true) return r.value;
  }
}

function maxDepthOf(options: DumpOptions | undefined): number {
  if (options === undefined) return DEFAULT_MAX_DEPTH;
  if (typeof options !== 'object' || options === null) throw new InvalidOptionError('options', 'an object or undefined', options);
  const d = options.maxDepth;
  if (d === undefined) return DEFAULT_MAX_DEPTH;
  if (typeof d !== 'number' || !Number.isInteger(d) || d < 0) throw new InvalidOptionError('options.maxDepth', 'an integer >= 0', d);
  return d;
}

/** The indexes one dump is built from, filled in one pass over the live actors. */
class Snapshot {
  readonly #system: ActorSystem;
  #cells: Cell[] = [];
  /** Live actors by live parent, in start order. */
  readonly #kids = new Map<Cell, Cell[]>();
  /** What each live supervisor reports (null if its describeSupervisor threw). */
  readonly #infos = new Map<Cell, SupervisorInfo | null>();
  /** Live actors that a live supervisor reports as its child, with that child's entry. */
  readonly #claimed = new Map<Cell, SupervisedChildInfo>();
  readonly #placed = new Set<Cell>();

  constructor(system: ActorSystem) {
    this.#system = system;
  }

  /** Indexes the live actors, then places them; yields after each actor. */
  *steps(maxDepth: number): Generator<void, Dump, void> {
    this.#cells = this.#system.actors() as Cell[];
    for (const cell of this.#cells) {
      yield;
      const b = cell.behaviour;
      if (isSupervising(b)) {
        const info = readInfo(() => b[describeSupervisor]());
        this.#infos.set(cell, info);
        if (info !== null) {
          for (const child of info.children) {
            if (isCell(child.ref) && child.ref.alive && !this.#claimed.has(child.ref)) this.#claimed.set(child.ref, child);
          }
        }
      }
      const parent = cell.parent;
      if (parent !== null && parent.alive) {
        const list = this.#kids.get(parent);
        if (list === undefined) this.#kids.set(parent, [cell]);
        else list.push(cell);
      }
    }
    return yield* this.#take(maxDepth);
  }

  *#take(maxDepth: number): Generator<void, Dump, void> {
    const roots: DumpNode[] = [];
    // Roots first, then whatever a cycle of claims kept unreachable, so every live actor shows once.
    for (const pass of [true, false]) {
      for (const cell of this.#cells) {
        if (this.#placed.has(cell)) continue;
        if (pass && ((cell.parent !== null && cell.parent.alive) || this.#claimed.has(cell))) continue;
        roots.push(yield* this.#expand(cell, maxDepth));
      }
    }
    return {
      version: 1,
      system: this.#system.name,
      pid: process.pid,
      takenAt: new Date().toISOString(),
      actors: this.#cells.length,
      roots,
      memory: memoryNow(),
    };
  }

  /** Builds the subtree under `root` breadth-first (no recursion: deep chains are fine). */
  *#expand(root: Cell, maxDepth: number): Generator<void, DumpNode, void> {
    this.#placed.add(root);
    const top = this.#nodeOf(root, undefined);
    const queue: { cell: Cell; node: Building; depth: number }[] = [{ cell: root, node: top, depth: 0 }];
    for (let i = 0; i < queue.length; i++) {
      yield;
      const { cell, node, depth } = queue[i]!;
      const slots = this.#slotsOf(cell);
      if (depth >= maxDepth) {
        if (slots.length > 0) node.omitted = this.#omit(slots);
        continue;
      }
      for (const slot of slots) {
        if (slot.cell === null) {
          node.children.push(emptyNode(slot.info));
          continue;
        }
        this.#placed.add(slot.cell);
        const child = this.#nodeOf(slot.cell, slot.info);
        node.children.push(child);
        queue.push({ cell: slot.cell, node: child, depth: depth + 1 });
      }
    }
    return top;
  }

  /**
   * A node's children: a supervisor's reported children in its order, then the other
   * live actors it is the parent of, in start order. An actor a supervisor reports shows
   * under that supervisor only.
   */
  #slotsOf(cell: Cell): Slot[] {
    const slots: Slot[] = [];
    const info = this.#infos.get(cell);
    if (info) {
      for (const child of info.children) {
        const ref = child.ref;
        if (isCell(ref) && this.#claimed.get(ref) === child) {
          if (!this.#placed.has(ref)) slots.push({ cell: ref, info: child });
        } else if (!(isCell(ref) && ref.alive)) {
          slots.push(isCell(ref) ? { cell: ref, info: child } : { cell: null, info: child });
        }
      }
    }
    for (const kid of this.#kids.get(cell) ?? []) {
      if (!this.#claimed.has(kid) && !this.#placed.has(kid)) slots.push({ cell: kid, info: undefined });
    }
    return slots;
  }

  /** Marks everything under the slots as placed and counts it. */
  #omit(slots: Slot[]): number {
    let count = 0;
    const stack = [...slots];
    while (stack.length > 0) {
      const slot = stack.pop()!;
      count++;
      if (slot.cell === null || !slot.cell.alive) continue;
      this.#placed.add(slot.cell);
      for (const s of this.#slotsOf(slot.cell)) stack.push(s);
    }
    return count;
  }

  #nodeOf(cell: Cell, info: SupervisedChildInfo | undefined): Building {
    const s = statusOf(cell);
    const sup = this.#infos.get(cell);
    return {
      id: cell.id,
      names: this.#namesOf(cell),
      behaviour: cell.kind,
      kind: sup === undefined ? 'actor' : 'supervisor',
      strategy: sup ? String(sup.strategy) : null,
      status: s.status,
      childId: info === undefined ? null : String(info.id),
      mailbox: s.mailboxLength,
      handled: s.messagesHandled,
      restarts: restartsOf(info),
      lastExit: lastExitOf(info),
      links: s.links,
      monitors: s.monitors,
      uptimeMs: s.uptimeMs,
      ...(s.details === undefined ? {} : { details: s.details }),
      ...(sinkOf(cell) === null ? {} : { traced: true as const }),
      children: [],
    };
  }

  #namesOf(cell: Cell): string[] {
    const names: string[] = [];
    if (cell.name !== undefined) names.push(cell.name);
    for (const provider of this.#system.nameProviders()) {
      let keys: readonly unknown[];
      try {
        keys = provider.keysOf(cell);
      } catch {
        continue; // a broken registry must not break the dump
      }
      for (const key of keys) names.push(describeName({ via: provider, key }));
    }
    return names;
  }
}

/** A supervisor child that has no live local actor: on another node, restarting, or stopped (shown as dead). */
function emptyNode(info: SupervisedChildInfo): DumpNode {
  const remote = info.ref instanceof RemoteActorRef ? info.ref : null;
  return {
    id: remote?.id ?? null,
    names: [],
    behaviour: remote?.kind ?? null,
    kind: info.type === 'supervisor' ? 'supervisor' : 'actor',
    strategy: null,
    status: remote !== null ? 'remote' : info.status === 'restarting' ? 'restarting' : 'dead',
    childId: String(info.id),
    mailbox: 0,
    handled: 0,
    restarts: restartsOf(info),
    lastExit: lastExitOf(info),
    links: [],
    monitors: [],
    uptimeMs: 0,
    children: [],
  };
}

function restartsOf(info: SupervisedChildInfo | undefined): number | null {
  return info === undefined ? null : Number.isFinite(info.restarts) ? info.restarts : 0;
}

function lastExitOf(info: SupervisedChildInfo | undefined): string | null {
  return info === undefined || info.lastExitReason === undefined ? null : formatReason(info.lastExitReason);
}

function readInfo(read: () => SupervisorInfo): SupervisorInfo | null {
  try {
    const info = read();
    return typeof info === 'object' && info !== null && Array.isArray(info.children) ? info : null;
  } catch {
    return null; // shown as a supervisor without a strategy; its actors still appear under it by parent
  }
}
