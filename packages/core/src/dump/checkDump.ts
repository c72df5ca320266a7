import type { Dump, DumpMemory, DumpNode, DumpStatus } from './DumpNode.js';

const STATUSES: ReadonlySet<DumpStatus> = new Set(['running', 'waiting', 'suspended', 'initializing', 'stopping', 'restarting', 'dead', 'remote']);

/**
 * Checks that a value has the shape of a {@link Dump} (as `dump(system)` returns it, or
 * as it arrives as JSON from another process): version 1, the header fields, and a tree
 * of nodes with ids, statuses, names and children, without cycles. Returns what is wrong,
 * or null. Iterative, so a deep tree cannot overflow the call stack; `renderDump` and
 * `@arbor/debug`'s `fetchDump` use it.
 *
 * @example
 * const problem = checkDump(JSON.parse(text));
 * if (problem !== null) throw new Error(`not a dump: ${problem}`);
 */
export function checkDump(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return 'no dump object';
  const d = value as Partial<Record<keyof Dump, unknown>>;
  if (d.version !== 1) return `dump version ${JSON.stringify(d.version)}, expected 1`;
  if (typeof d.system !== 'string' || typeof d.pid !== 'number' || typeof d.actors !== 'number' || typeof d.takenAt !== 'string') {
    return 'dump header fields missing';
  }
  if (!Array.isArray(d.roots)) return 'dump without roots';
  if (d.memory !== undefined) {
    const m = d.memory as Partial<Record<keyof DumpMemory, unknown>> | null;
    const bytes = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v) && v >= 0;
    if (typeof m !== 'object' || m === null || !bytes(m.rssBytes) || !bytes(m.heapUsedBytes)) return 'dump memory is not { rssBytes, heapUsedBytes } in bytes';
  }
  const stack: unknown[] = [...(d.roots as unknown[])];
  const seen = new Set<object>();
  while (stack.length > 0) {
    const n = stack.pop();
    if (typeof n !== 'object' || n === null) return 'a node is not an object';
    if (seen.has(n)) return 'a node appears twice (the tree has a cycle)';
    seen.add(n);
    const node = n as Partial<Record<keyof DumpNode, unknown>>;
    if (!(node.id === null || typeof node.id === 'string')) return 'a node without an id';
    if (!STATUSES.has(node.status as DumpStatus)) return `a node with status ${JSON.stringify(node.status)}`;
    if (!Array.isArray(node.names) || !Array.isArray(node.children)) return 'a node without names or children';
    if (!(node.names as unknown[]).every((x) => typeof x === 'string')) return 'a node with a name that is not a string';
    for (const key of ['behaviour', 'strategy', 'childId', 'lastExit'] as const) {
      if (node[key] !== null && typeof node[key] !== 'string') return `a node whose ${key} is not a string or null`;
    }
    for (const c of node.children as unknown[]) stack.push(c);
  }
  return null;
}
