/**
 * The JSON the observer server sends its page: one row per node of the tree, keyed so that a
 * supervisor's child keeps its row across restarts. @internal (the page has its own copy of
 * these shapes; change both together).
 */
import type { DumpNode, StatusDetails } from '@arbor/core';

/** One node of the tree as the page gets it: the dump's node, flat, with the page's own fields. */
export interface WireNode extends Omit<DumpNode, 'children' | 'uptimeMs' | 'details' | 'traced' | 'omitted'> {
  /** Stable key: `<parent key>/<child id>` for a supervisor's child, else the actor id. */
  readonly key: string;
  readonly parent: string | null;
  /** The keys of its children. */
  readonly children: readonly string[];
  /** Messages handled per second since the previous sample. */
  readonly rate: number;
  readonly details: StatusDetails | null;
  readonly traced: boolean;
  readonly omitted: number;
}

/** One point of the memory chart. */
export interface MemoryPoint {
  /** ms since the epoch. */
  readonly t: number;
  readonly rss: number;
  readonly heap: number;
}

/** One entry of the crash and restart timeline. */
export interface TimelineEvent {
  readonly t: number;
  /** `restart`: a supervisor started the child again; `exit`: an actor left the tree. */
  readonly kind: 'restart' | 'exit';
  readonly key: string;
  /** What the page prints for the actor (first name, or behaviour and id). */
  readonly label: string;
  /** The last exit reason, when known. */
  readonly reason: string | null;
}

/** Figures for the header. */
export interface WireTotals {
  readonly actors: number;
  /** Messages per second over the whole tree. */
  readonly rate: number;
  /** The sampling interval now (ms). */
  readonly intervalMs: number;
  /** How long the last sample took (ms). */
  readonly sampleMs: number;
}

/** The first `/events` message: everything. */
export interface WireSnapshot {
  readonly type: 'snapshot';
  readonly system: string;
  readonly pid: number;
  readonly allowControl: boolean;
  readonly t: number;
  readonly roots: readonly string[];
  readonly nodes: readonly WireNode[];
  readonly memory: readonly MemoryPoint[];
  readonly timeline: readonly TimelineEvent[];
  readonly totals: WireTotals;
}

/** Every later `/events` message: what changed since the previous one. */
export interface WireDiff {
  readonly type: 'diff';
  readonly t: number;
  /** Present when the list of roots changed. */
  readonly roots?: readonly string[];
  /** Nodes added or changed (whole rows). */
  readonly changed: readonly WireNode[];
  readonly removed: readonly string[];
  readonly memory: MemoryPoint | null;
  readonly timeline: readonly TimelineEvent[];
  readonly totals: WireTotals;
}

/** `/actor/:id`'s answer. */
export interface WireActor {
  readonly node: WireNode | null;
  readonly uptimeMs: number | null;
  readonly state: string;
  readonly details: StatusDetails | null;
  /** The last ~5 minutes in 2-second buckets, oldest first; null where the actor did not exist yet. */
  readonly history: { readonly t: readonly number[]; readonly rate: readonly (number | null)[]; readonly mailbox: readonly (number | null)[] };
}
