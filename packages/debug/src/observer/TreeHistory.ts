/**
 * What the observer remembers of a tree between samples: the last flattened tree (to diff
 * against), per-actor messages/s and mailbox in 2-second buckets over ~5 minutes, memory
 * over time, and a timeline of restarts and exits. @internal
 */
import type { Dump, DumpNode } from '@arbor/core';
import type { MemoryPoint, TimelineEvent, WireActor, WireDiff, WireNode, WireSnapshot, WireTotals } from './protocol.js';

/** Width of one history bucket. */
export const BUCKET_MS = 2000;
/** Buckets kept: 150 x 2 s = 5 minutes. */
export const BUCKETS = 150;
/** How long memory points are kept. */
const MEMORY_KEEP_MS = 5 * 60_000;
/** Timeline entries kept. */
const TIMELINE_KEEP = 300;
/** Actors leaving in one sample listed one by one; more make a single entry. */
const MAX_EXITS_LISTED = 10;

/** One actor's series, indexed by the shared bucket ring. */
interface Series {
  readonly rate: Float32Array;
  readonly mailbox: Float32Array;
}

/**
 * Turns successive dumps into the page's snapshot and diffs.
 *
 * @example
 * const h = new TreeHistory();
 * const diff = h.apply(await source.dump(), Date.now()); // null the first time
 * h.snapshot(false); // what a page that connects now gets first
 */
export class TreeHistory {
  #nodes = new Map<string, WireNode>();
  #roots: string[] = [];
  #idToKey = new Map<string, string>();
  #uptime = new Map<string, number>();
  #system = '';
  #pid = 0;
  #lastAt = 0;
  #memory: MemoryPoint[] = [];
  #timeline: TimelineEvent[] = [];
  #totals: WireTotals = { actors: 0, rate: 0, intervalMs: 0, sampleMs: 0 };
  readonly #series = new Map<string, Series>();
  readonly #bucketTimes = new Float64Array(BUCKETS).fill(Number.NaN);
  #slot = -1;
  #bucket = -1;
  #samplesInBucket = 0;

  /** True once a dump was applied. */
  get ready(): boolean {
    return this.#lastAt > 0;
  }

  /** Takes in a new dump taken at `at`; returns what changed, or null for the first dump. */
  apply(dump: Dump, at: number, timing: { readonly intervalMs: number; readonly sampleMs: number }): WireDiff | null {
    const first = !this.ready;
    const dt = first ? 0 : Math.max(1, at - this.#lastAt) / 1000;
    const prev = this.#nodes;
    const next = new Map<string, WireNode>();
    const idToKey = new Map<string, string>();
    const uptime = new Map<string, number>();
    const roots: string[] = [];
    const changed: WireNode[] = [];
    const timeline: TimelineEvent[] = [];
    let total = 0;
    this.#advanceBucket(at);
    // Depth-first with an explicit stack: deep trees do not grow the JS stack.
    const stack: { node: DumpNode; parent: string | null }[] = [];
    for (let i = dump.roots.length - 1; i >= 0; i--) stack.push({ node: dump.roots[i]!, parent: null });
    const childKeys = new Map<string | null, string[]>([[null, roots]]);
    while (stack.length > 0) {
      const { node, parent } = stack.pop()!;
      const key = keyOf(node, parent, next);
      const before = prev.get(key);
      const sameActor = before !== undefined && before.id === node.id;
      const rate = first || dt === 0 ? 0 : round1(Math.max(0, sameActor ? node.handled - before.handled : node.handled) / dt);
      total += rate;
      const kids: string[] = [];
      childKeys.set(key, kids);
      childKeys.get(parent)!.push(key);
      const wire: WireNode = {
        key,
        id: node.id,
        parent,
        children: kids,
        names: node.names,
        behaviour: node.behaviour,
        kind: node.kind,
        strategy: node.strategy,
        status: node.status,
        childId: node.childId,
        mailbox: node.mailbox,
        handled: node.handled,
        rate,
        restarts: node.restarts,
        lastExit: node.lastExit,
        links: node.links,
        monitors: node.monitors,
        details: node.details ?? null,
        traced: node.traced === true,
        omitted: node.omitted ?? 0,
      };
      next.set(key, wire);
      if (node.id !== null) {
        idToKey.set(node.id, key);
        uptime.set(node.id, node.uptimeMs);
      }
      this.#record(key, rate, node.mailbox);
      if (before !== undefined && !first) {
        const restarted = (node.restarts ?? 0) > (before.restarts ?? 0) || (before.id !== null && node.id !== null && before.id !== node.id);
        if (restarted) timeline.push({ t: at, kind: 'restart', key, label: labelOf(wire), reason: node.lastExit });
        else if (before.id !== null && node.id === null) timeline.push({ t: at, kind: 'exit', key, label: labelOf(before), reason: node.lastExit });
      }
      for (let i = node.children.length - 1; i >= 0; i--) stack.push({ node: node.children[i]!, parent: key });
    }
    const removed: string[] = [];
    const vanished: WireNode[] = [];
    for (const [key, before] of prev) {
      if (next.has(key)) continue;
      removed.push(key);
      this.#series.delete(key);
      if (!first && before.id !== null) vanished.push(before);
    }
    // Many short-lived actors leaving at once make one entry, not a flood.
    if (vanished.length > MAX_EXITS_LISTED) {
      timeline.push({ t: at, kind: 'exit', key: '', label: `${vanished.length} actors`, reason: `left the tree (${[...new Set(vanished.map((n) => n.behaviour ?? '?'))].slice(0, 3).join(', ')}, ...)` });
    } else {
      for (const n of vanished) timeline.push({ t: at, kind: 'exit', key: n.key, label: labelOf(n), reason: n.lastExit });
    }
    // Children lists are complete only now: compare rows after the walk.
    for (const [key, wire] of next) {
      const before = prev.get(key);
      if (before === undefined || !sameNode(before, wire)) changed.push(wire);
    }
    const rootsChanged = !sameList(this.#roots, roots);
    this.#nodes = next;
    this.#roots = roots;
    this.#idToKey = idToKey;
    this.#uptime = uptime;
    this.#system = dump.system;
    this.#pid = dump.pid;
    this.#lastAt = at;
    const memory = dump.memory === undefined ? null : { t: at, rss: dump.memory.rssBytes, heap: dump.memory.heapUsedBytes };
    if (memory !== null) this.#memory.push(memory);
    while (this.#memory.length > 0 && this.#memory[0]!.t < at - MEMORY_KEEP_MS) this.#memory.shift();
    this.#timeline.push(...timeline);
    if (this.#timeline.length > TIMELINE_KEEP) this.#timeline.splice(0, this.#timeline.length - TIMELINE_KEEP);
    this.#totals = { actors: dump.actors, rate: round1(total), intervalMs: timing.intervalMs, sampleMs: round1(timing.sampleMs) };
    if (first) return null;
    return { type: 'diff', t: at, ...(rootsChanged ? { roots } : {}), changed, removed, memory, timeline, totals: this.#totals };
  }

  /** Everything, for a page that connects now. */
  snapshot(allowControl: boolean): WireSnapshot {
    return {
      type: 'snapshot',
      system: this.#system,
      pid: this.#pid,
      allowControl,
      t: this.#lastAt,
      roots: this.#roots,
      nodes: [...this.#nodes.values()],
      memory: this.#memory,
      timeline: this.#timeline,
      totals: this.#totals,
    };
  }

  /** The row, uptime and history of the actor with this id (from the last sample), for `/actor/:id`. */
  actor(id: string): Omit<WireActor, 'state' | 'details'> {
    const key = this.#idToKey.get(id);
    const node = key === undefined ? null : (this.#nodes.get(key) ?? null);
    const series = key === undefined ? undefined : this.#series.get(key);
    const t: number[] = [];
    const rate: (number | null)[] = [];
    const mailbox: (number | null)[] = [];
    for (let i = 1; i <= BUCKETS; i++) {
      const slot = (this.#slot + i) % BUCKETS;
      const at = this.#bucketTimes[slot]!;
      if (Number.isNaN(at)) continue;
      t.push(at);
      const r = series?.rate[slot];
      const m = series?.mailbox[slot];
      rate.push(r === undefined || Number.isNaN(r) ? null : round1(r));
      mailbox.push(m === undefined || Number.isNaN(m) ? null : m);
    }
    return { node, uptimeMs: this.#uptime.get(id) ?? null, history: { t, rate, mailbox } };
  }

  #advanceBucket(at: number): void {
    const bucket = Math.floor(at / BUCKET_MS);
    if (bucket === this.#bucket) {
      this.#samplesInBucket++;
      return;
    }
    this.#bucket = bucket;
    this.#slot = (this.#slot + 1) % BUCKETS;
    this.#bucketTimes[this.#slot] = bucket * BUCKET_MS;
    this.#samplesInBucket = 1;
    for (const s of this.#series.values()) {
      s.rate[this.#slot] = Number.NaN;
      s.mailbox[this.#slot] = Number.NaN;
    }
  }

  #record(key: string, rate: number, mailbox: number): void {
    let s = this.#series.get(key);
    if (s === undefined) {
      s = { rate: new Float32Array(BUCKETS).fill(Number.NaN), mailbox: new Float32Array(BUCKETS).fill(Number.NaN) };
      this.#series.set(key, s);
    }
    const slot = this.#slot;
    const r = s.rate[slot]!;
    const n = this.#samplesInBucket;
    s.rate[slot] = Number.isNaN(r) || n <= 1 ? rate : r + (rate - r) / n; // running mean over the bucket's samples
    const m = s.mailbox[slot]!;
    s.mailbox[slot] = Number.isNaN(m) ? mailbox : Math.max(m, mailbox); // the bucket's peak
  }
}

/** A node's stable key: a supervisor's child keeps `<parent>/<child id>` across restarts. */
function keyOf(node: DumpNode, parent: string | null, taken: ReadonlyMap<string, WireNode>): string {
  if (parent !== null && node.childId !== null) {
    const key = `${parent}/${encodeURIComponent(node.childId)}`;
    if (!taken.has(key)) return key;
  }
  if (node.id !== null) return node.id;
  // A child without an actor and without a usable child id: keyed by its place.
  let n = 0;
  while (taken.has(`${parent ?? ''}/#${n}`)) n++;
  return `${parent ?? ''}/#${n}`;
}

/** What the page prints for an actor: its first name, else its behaviour and id. */
export function labelOf(node: Pick<WireNode, 'names' | 'behaviour' | 'id' | 'childId'>): string {
  if (node.names.length > 0) return node.names[0]!;
  if (node.childId !== null) return node.childId;
  return `${node.behaviour ?? '?'} ${node.id ?? ''}`.trim();
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sameDetails(a: WireNode['details'], b: WireNode['details']): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) if (a[k] !== b[k]) return false;
  return true;
}

function sameNode(a: WireNode, b: WireNode): boolean {
  return (
    a.id === b.id &&
    a.parent === b.parent &&
    a.status === b.status &&
    a.mailbox === b.mailbox &&
    a.rate === b.rate &&
    a.restarts === b.restarts &&
    a.lastExit === b.lastExit &&
    a.traced === b.traced &&
    a.omitted === b.omitted &&
    a.behaviour === b.behaviour &&
    a.strategy === b.strategy &&
    a.childId === b.childId &&
    sameList(a.children, b.children) &&
    sameList(a.names, b.names) &&
    sameList(a.links, b.links) &&
    sameList(a.monitors, b.monitors) &&
    sameDetails(a.details, b.details)
  );
}
