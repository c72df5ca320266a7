import { InvalidOptionError } from '../errors/errors.js';
import type { Dump, DumpNode } from './DumpNode.js';
import { checkDump } from './checkDump.js';

/**
 * Renders a dump as an indented tree for a terminal: a header line, then one line per
 * node with its child id or names, behaviour, id, status, strategy (supervisors),
 * restart count (supervised children), mailbox length, last exit reason, and what the
 * behaviour's `formatStatus` reports as `key=value` pairs.
 *
 * @example
 * console.log(renderDump(dump(system)));
 * // system "shop", pid 4242, 4 actors, taken 2026-11-21T12:00:00.000Z
 * // └── shop: ShopSupervisor #V1StGXR8_Z5j waiting, one_for_one, mailbox 0
 * //     ├── db: Db #3nQ9aJ0c1xYz waiting, restarts 1, mailbox 0, last exit: Error: connection lost
 * //     └── cache: (no actor) restarting, restarts 3, last exit: Error: refused
 */
export function renderDump(d: Dump): string {
  const problem = checkDump(d);
  if (problem !== null) throw new InvalidOptionError('dump', `a Dump as dump(system) or fetchDump returns it (${problem}); call renderDump(dump(system))`, d);
  return [...renderDumpLines(d)].join('\n');
}

/**
 * The lines of {@link renderDump}, one at a time, without the newlines: a caller that
 * must not hold the event loop (such as `@arbor/debug`'s endpoint) can render a large
 * tree in slices. The dump is not checked: pass one from `dump(system)`, or check it
 * with {@link checkDump} first.
 *
 * @example
 * for (const line of renderDumpLines(dump(system))) process.stdout.write(`${line}\n`);
 */
export function* renderDumpLines(d: Dump): Generator<string, void, void> {
  yield `system ${JSON.stringify(d.system)}, pid ${d.pid}, ${d.actors} actor${d.actors === 1 ? '' : 's'}, taken ${d.takenAt}`;
  if (d.roots.length === 0) yield '(no live actors)';
  // Depth-first with an explicit stack, so a deep tree cannot overflow the call stack.
  const stack: Line[] = [];
  pushChildren(stack, d.roots, '', false);
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const branch = top.last ? '└── ' : '├── ';
    if (top.node === null) {
      yield `${top.prefix}${branch}… ${top.omitted} more below (raise maxDepth to see them)`;
      continue;
    }
    const { node } = top;
    yield `${top.prefix}${branch}${describeNode(node)}`;
    const inner = top.prefix + (top.last ? '    ' : '│   ');
    const omitted = node.omitted ?? 0;
    if (omitted > 0) stack.push({ node: null, omitted, prefix: inner, last: true });
    pushChildren(stack, node.children, inner, omitted > 0);
  }
}

/** A line to print: a node, or the count of nodes cut at `maxDepth`. */
type Line = { readonly prefix: string; readonly last: boolean } & ({ readonly node: DumpNode } | { readonly node: null; readonly omitted: number });

/** Pushes children in reverse, so they pop in order; `more` when a line follows the last child. */
function pushChildren(stack: Line[], children: readonly DumpNode[], prefix: string, more: boolean): void {
  for (let i = children.length - 1; i >= 0; i--) stack.push({ node: children[i]!, prefix, last: i === children.length - 1 && !more });
}

/** One node as one line, without the tree prefix. */
function describeNode(node: DumpNode): string {
  const label = labelOf(node);
  const parts = [
    `${label === '' ? '' : `${label}: `}${node.id === null ? '(no actor)' : `${clean(node.behaviour ?? '?')} #${node.id}`} ${node.status}${detailsOf(node)}`,
  ];
  if (node.strategy !== null) parts.push(clean(node.strategy));
  if (node.restarts !== null) parts.push(`restarts ${node.restarts}`);
  if (node.id !== null) parts.push(`mailbox ${node.mailbox}`);
  if (node.lastExit !== null) parts.push(`last exit: ${clean(node.lastExit)}`);
  return parts.join(', ');
}

/** The node's `formatStatus` details as ` key=value` pairs (strings with spaces or `=` quoted). */
function detailsOf(node: DumpNode): string {
  const d = node.details;
  if (d === undefined || d === null || typeof d !== 'object') return '';
  let out = '';
  for (const [key, value] of Object.entries(d)) {
    const text = typeof value === 'string' && /[\s=,"]|^$/.test(value) ? JSON.stringify(value) : String(value);
    out += ` ${clean(key)}=${clean(text)}`;
  }
  return out;
}

/** The child id, then the names that differ from it. */
function labelOf(node: DumpNode): string {
  const names = node.names.filter((n) => n !== node.childId).map(clean);
  if (node.childId === null) return names.join(', ');
  return names.length === 0 ? clean(node.childId) : `${clean(node.childId)} (${names.join(', ')})`;
}

/** Escapes control characters so a name or reason cannot break the one-line-per-node layout. */
function clean(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
