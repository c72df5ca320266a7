import type { StatusDetails } from '../behaviour/StatusDetails.js';

/**
 * What a node of the dump shows its actor doing. The first six are an actor's own state
 * (see `ActorState`); `restarting` and `dead` are also given to a supervisor's child that
 * has no actor (a failed restart being retried; a child that is stopped), and `remote` to
 * one that runs on another node (its id and `Behaviour@node` are shown; the rest is there).
 */
export type DumpStatus = 'running' | 'waiting' | 'suspended' | 'initializing' | 'stopping' | 'restarting' | 'dead' | 'remote';

/**
 * One actor of the tree, or one supervisor child that has no actor (then `id` and
 * `behaviour` are null). Plain JSON data: no refs, reasons as short strings.
 */
export interface DumpNode {
  /** The actor's id, or null for a supervisor child without an actor. */
  readonly id: string | null;
  /** Its local name, then `label:key` for each registry key (`registry:worker:1`). */
  readonly names: readonly string[];
  /** The behaviour class name, or null when there is no actor. */
  readonly behaviour: string | null;
  /** `supervisor` if the behaviour reports its children (implements `describeSupervisor`). */
  readonly kind: 'supervisor' | 'actor';
  /** A supervisor's restart strategy (`one_for_one`, ...); null otherwise. */
  readonly strategy: string | null;
  readonly status: DumpStatus;
  /** Its child id in the parent supervisor; null if the parent is not a supervisor. */
  readonly childId: string | null;
  /** Messages waiting in the mailbox. */
  readonly mailbox: number;
  /** Messages handled since the actor started. */
  readonly handled: number;
  /** How many times the parent supervisor restarted this child; null outside a supervisor. */
  readonly restarts: number | null;
  /** Why this child's last actor exited (`formatReason`), or null if none has. */
  readonly lastExit: string | null;
  /** Ids of linked actors. */
  readonly links: readonly string[];
  /** Ids of the actors this one monitors. */
  readonly monitors: readonly string[];
  readonly uptimeMs: number;
  /** What the behaviour's `formatStatus()` reports (absent when it reports nothing). */
  readonly details?: StatusDetails;
  /** True while a live trace (`system.trace`) is attached to the actor (absent otherwise). */
  readonly traced?: true;
  /** Child nodes: a supervisor's children in start order, then other actors it spawnLinked. */
  readonly children: readonly DumpNode[];
  /** Descendants left out because the node sits at `maxDepth` (absent when none are). */
  readonly omitted?: number;
}

/** A snapshot of an actor system's tree, as `dump(system)` returns it and `@arbor/debug`'s `DebugEndpoint` serves it. */
export interface Dump {
  /** The dump format; a client refuses others. */
  readonly version: 1;
  /** The system's name. */
  readonly system: string;
  /** The OS process id. */
  readonly pid: number;
  /** When the snapshot was taken (ISO 8601). */
  readonly takenAt: string;
  /** How many actors were alive. */
  readonly actors: number;
  /** Live actors with no live parent (and not claimed by a supervisor), in start order. */
  readonly roots: readonly DumpNode[];
  /** The process's memory when the snapshot was taken (`process.memoryUsage()`); absent in dumps from older versions. */
  readonly memory?: DumpMemory;
}

/**
 * The memory of the process a dump was taken in, in bytes.
 *
 * @example
 * const { rssBytes, heapUsedBytes } = dump(system).memory!;
 */
export interface DumpMemory {
  /** Resident set size of the whole process. */
  readonly rssBytes: number;
  /** V8 heap in use. */
  readonly heapUsedBytes: number;
}

/** Options of `dump`. */
export interface DumpOptions {
  /**
   * How many levels below a root to show (default 500). Deeper descendants are counted in
   * the cut node's `omitted`. A tree nested much deeper cannot go through `JSON.stringify`.
   */
  readonly maxDepth?: number;
}
