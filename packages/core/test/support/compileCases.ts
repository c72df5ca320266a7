/**
 * Compiles a snippet against the core package's sources with the TypeScript compiler and
 * returns its diagnostics, case by case: the type tests that check what an error *says*
 * (an `@ts-expect-error` only checks that there is one).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** packages/core, from dist/test/types (where the compiled tests run). */
const coreDir = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * Type-checks `header` followed by each case (each in its own function body) and returns,
 * per case name, the messages of the errors reported inside it (chains flattened into one
 * string each). `header` may import from `@core`, which is packages/core/src/index.ts.
 *
 * @example
 * const errors = compileCases("import { call } from '@core';", { nope: "void call(ref, { type: 'nope' });" });
 */
export function compileCases(header: string, cases: Record<string, string>): Record<string, string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'arbor-types-'));
  try {
    const file = join(dir, 'cases.mts');
    const lines = [header.replaceAll("'@core'", JSON.stringify(join(coreDir, 'src', 'index.js')))];
    const ranges: [string, number, number][] = [];
    for (const [name, body] of Object.entries(cases)) {
      const first = lines.join('\n').split('\n').length;
      lines.push(`export async function case_${ranges.length}(): Promise<void> {`, body, '}');
      ranges.push([name, first, lines.join('\n').split('\n').length - 1]);
    }
    writeFileSync(file, lines.join('\n'));
    const config = ts.readConfigFile(join(coreDir, 'tsconfig.json'), (p) => ts.sys.readFile(p));
    const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, coreDir);
    const { rootDir: _rootDir, outDir: _outDir, ...options } = parsed.options;
    const program = ts.createProgram([file], { ...options, noEmit: true });
    const out: Record<string, string[]> = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
    for (const d of ts.getPreEmitDiagnostics(program)) {
      if (d.file === undefined || d.start === undefined) throw new Error(`unexpected global diagnostic: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
      const line = d.file.getLineAndCharacterOfPosition(d.start).line + 1;
      const range = d.file.fileName === file.replaceAll('\\', '/') ? ranges.find(([, a, b]) => line >= a && line <= b) : undefined;
      const text = ts.flattenDiagnosticMessageText(d.messageText, ' ');
      if (range === undefined) throw new Error(`an error outside the cases (${d.file.fileName}:${line}): ${text}`);
      out[range[0]]!.push(text);
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
