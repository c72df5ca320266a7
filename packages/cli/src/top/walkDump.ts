import type { Dump, DumpNode } from '@arbor/core';

/**
 * Every node of a dump with its depth, depth-first in tree order (an explicit stack, so a
 * deep tree cannot overflow the call stack).
 *
 * @example
 * for (const { node, depth } of walkDump(d)) console.log('  '.repeat(depth) + node.behaviour);
 */
export function* walkDump(dump: Dump): Generator<{ readonly node: DumpNode; readonly depth: number }, void, void> {
  const stack: { node: DumpNode; depth: number }[] = [];
  for (let i = dump.roots.length - 1; i >= 0; i--) stack.push({ node: dump.roots[i]!, depth: 0 });
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    yield top;
    const { children } = top.node;
    for (let i = children.length - 1; i >= 0; i--) stack.push({ node: children[i]!, depth: top.depth + 1 });
  }
}
