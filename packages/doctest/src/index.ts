export { extractBlocks, outputMatches, DoctestDirectiveError, type DocBlock } from './extract.js';
export { assemble, type AssembledBlock } from './assemble.js';
export { compileBlocks, type CompiledBlock } from './compile.js';
export { runBlock, type BlockRun } from './run.js';
export { docPages } from './pages.js';
