import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as TS from 'typescript';

/** Writes `files` (path relative to a fresh temp dir -> text) and returns the dir. */
export function writeTree(files: Readonly<Record<string, string>>): string {
  const root = mkdtempSync(join(tmpdir(), 'arbor-layering-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const rootConfig = fileURLToPath(new URL('../../../../../tsconfig.json', import.meta.url));

/**
 * Compiles TypeScript sources the way the packages' builds do (the root tsconfig's options,
 * verbatimModuleSyntax among them; ES modules), one file at a time, into a fresh temp dir;
 * `x.ts` becomes `x.js`. Returns the dir.
 */
export function compileTree(sources: Readonly<Record<string, string>>): string {
  const ts = createRequire(import.meta.url)('typescript') as typeof TS;
  const { config } = ts.readConfigFile(rootConfig, (p) => readFileSync(p, 'utf8')) as { config: { compilerOptions: object } };
  const { options } = ts.convertCompilerOptionsFromJson(config.compilerOptions, dirname(rootConfig));
  const compilerOptions = { ...options, module: ts.ModuleKind.ES2022, declaration: false, declarationMap: false, sourceMap: false };
  const out: Record<string, string> = {};
  for (const [path, text] of Object.entries(sources)) {
    out[path.replace(/\.ts$/, '.js')] = ts.transpileModule(text, { compilerOptions, fileName: path }).outputText;
  }
  return writeTree(out);
}
