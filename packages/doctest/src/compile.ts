import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import type { AssembledBlock } from './assemble.js';

/** A compiled block: the emitted module's path, or the compiler's messages mapped to the page. */
export interface CompiledBlock {
  readonly assembled: AssembledBlock;
  readonly jsPath: string;
  readonly errors: readonly string[];
}

/**
 * Type-checks and emits every block in one TypeScript program, with the repository's strict
 * options (`tsconfig.json` at `root`), into `outDir` (emptied first). `outDir` must sit inside
 * the repository so that `@arbor/*` imports resolve through its node_modules.
 *
 * @example
 * const compiled = compileBlocks(assembled, repoRoot, join(repoRoot, 'packages/doctest/.blocks'));
 */
export function compileBlocks(blocks: readonly AssembledBlock[], root: string, outDir: string): CompiledBlock[] {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const files = blocks.map((b, i) => {
    const name = `${String(i).padStart(3, '0')}-${b.block.file.replace(/[^a-z0-9]+/gi, '_')}-L${b.block.line}.ts`;
    const path = join(outDir, name);
    writeFileSync(path, b.source);
    return path;
  });
  const config = ts.readConfigFile(join(root, 'tsconfig.json'), ts.sys.readFile);
  if (config.error) throw new Error(ts.flattenDiagnosticMessageText(config.error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
  const options: ts.CompilerOptions = {
    ...parsed.options,
    noEmit: false,
    declaration: false,
    declarationMap: false,
    sourceMap: false,
    outDir,
    rootDir: outDir,
    // A doc block shows one thing; an unused import or local there is not an error.
    noUnusedLocals: false,
    noUnusedParameters: false,
  };
  const program = ts.createProgram(files, options);
  const emitted = program.emit();
  const all = [...ts.getPreEmitDiagnostics(program), ...emitted.diagnostics];
  return blocks.map((b, i) => {
    const path = files[i]!;
    const errors = all
      .filter((d) => d.file !== undefined && d.file.fileName === path)
      .map((d) => {
        const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
        const k = line + 1 - b.codeStart;
        const where = k >= 0 && k < b.block.code.split('\n').length ? `${b.block.file}:${b.block.line + 1 + k}` : `${b.block.file}:${b.block.line} (setup, continued block or teardown, line ${line + 1})`;
        return `${where}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
      });
    return { assembled: b, jsPath: path.replace(/\.ts$/, '.js'), errors };
  });
}
