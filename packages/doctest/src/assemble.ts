import type { DocBlock } from './extract.js';

/**
 * A block made into a module: the previous block's code first when it continues one, then
 * its setup, its code, its teardown. `codeStart` is the 1-based line of the block's first
 * line in `source`, to map compiler messages back to the page.
 *
 * @example
 * const m = assemble(blocks, 2); // blocks[2] with what it continues and its glue
 */
export interface AssembledBlock {
  readonly block: DocBlock;
  readonly source: string;
  readonly codeStart: number;
}

/** The source of `blocks[index]` without its teardown (what a continuing block runs first). */
function body(blocks: readonly DocBlock[], index: number): string {
  const b = blocks[index]!;
  const before = b.continues && index > 0 && blocks[index - 1]!.file === b.file ? body(blocks, index - 1) : '';
  return [before, b.setup, b.code].filter((s) => s !== '').join('\n');
}

/**
 * Builds the module for `blocks[index]` (blocks in page order, as {@link extractBlocks} returns).
 *
 * @example
 * assemble(extractBlocks('a.md', md), 0).source;
 */
export function assemble(blocks: readonly DocBlock[], index: number): AssembledBlock {
  const b = blocks[index]!;
  const before = [b.continues && index > 0 && blocks[index - 1]!.file === b.file ? body(blocks, index - 1) : '', b.setup]
    .filter((s) => s !== '')
    .join('\n');
  const head = before === '' ? '' : `${before}\n`;
  const codeStart = head === '' ? 1 : head.split('\n').length;
  const source = `${head}${b.code}\n${b.teardown === '' ? '' : `${b.teardown}\n`}export {};\n`;
  return { block: b, source, codeStart };
}
