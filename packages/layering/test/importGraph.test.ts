import { rmSync } from 'node:fs';
import test from 'ava';
import { buildImportGraph, compiledFrom, findCycles, formatCycle, resolveRelative, scanImports } from '../src/index.js';
import { compileTree, writeTree } from './support/trees.js';

const dirs: string[] = [];
test.after.always(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function cyclesOf(files: Readonly<Record<string, string>>, compile = false): string[] {
  const dir = compile ? compileTree(files) : writeTree(files);
  dirs.push(dir);
  return findCycles(buildImportGraph(dir)).map(formatCycle);
}

test('scanImports finds every kind of module specifier, with its line, and skips comments and strings', (t) => {
  const text = [
    "import { a } from './a.js';",
    "export * from './b.js';",
    "export { c } from './c.js';",
    "import './d.js';",
    "const e = await import('./e.js');",
    "// import './not-me.js';",
    "const s = \"import './nor-me.js'\";",
    "import fs from 'node:fs';",
  ].join('\n');
  t.deepEqual(scanImports(text), [
    { specifier: './a.js', line: 1 },
    { specifier: './b.js', line: 2 },
    { specifier: './c.js', line: 3 },
    { specifier: './d.js', line: 4 },
    { specifier: './e.js', line: 5 },
    { specifier: 'node:fs', line: 8 },
  ]);
});

test('resolveRelative follows ./ and ../ and leaves bare specifiers out', (t) => {
  t.is(resolveRelative('system/x.js', '../kernel/Cell.js'), 'kernel/Cell.js');
  t.is(resolveRelative('x.js', './a/b.js'), 'a/b.js');
  t.is(resolveRelative('x.js', '@arbor/core'), undefined);
  t.is(resolveRelative('x.js', 'node:fs'), undefined);
});

test('a 2-file cycle is found', (t) => {
  t.deepEqual(cyclesOf({ 'a.js': "import { b } from './b.js';\nexport const a = 1;", 'b.js': "import { a } from './a.js';\nexport const b = a;" }), [
    'a.js -> b.js -> a.js',
  ]);
});

test('a 3-file cycle across folders is found, as one chain', (t) => {
  t.deepEqual(
    cyclesOf({
      'kernel/Cell.js': "import { s } from './signals.js';",
      'kernel/signals.js': "import { v } from '../system/validate.js';",
      'system/validate.js': "import { Cell } from '../kernel/Cell.js';\nimport fs from 'node:fs';",
      'index.js': "export * from './kernel/Cell.js';",
    }),
    ['kernel/Cell.js -> kernel/signals.js -> system/validate.js -> kernel/Cell.js'],
  );
});

test('export * from, a side-effect import and import() are edges too', (t) => {
  t.deepEqual(cyclesOf({ 'a.js': "export * from './b.js';", 'b.js': "import './c.js';", 'c.js': "export const load = () => import('./a.js');" }), [
    'a.js -> b.js -> c.js -> a.js',
  ]);
});

test('a file that imports itself is a cycle', (t) => {
  t.deepEqual(cyclesOf({ 'a.js': "import './a.js';" }), ['a.js -> a.js']);
});

test('every file of a tangle is on a reported cycle', (t) => {
  const dir = writeTree({ 'a.js': "import './b.js';\nimport './c.js';", 'b.js': "import './a.js';", 'c.js': "import './a.js';" });
  dirs.push(dir);
  const cycles = findCycles(buildImportGraph(dir));
  t.deepEqual(cycles.map(formatCycle), ['a.js -> b.js -> a.js', 'c.js -> a.js -> c.js']);
  t.deepEqual(cycles[0]!.component, ['a.js', 'b.js', 'c.js']);
});

test('an acyclic graph (a diamond, bare imports, a missing file) has no cycle', (t) => {
  const dir = writeTree({
    'a.js': "import './b.js';\nimport './c.js';\nimport '@arbor/core';",
    'b.js': "import './d.js';",
    'c.js': "import './d.js';\nimport './missing.js';",
    'd.js': "import fs from 'node:fs';",
  });
  dirs.push(dir);
  const graph = buildImportGraph(dir);
  t.deepEqual(findCycles(graph), []);
  t.deepEqual(graph.edges.get('a.js'), [
    { from: 'a.js', to: 'b.js', line: 1 },
    { from: 'a.js', to: 'c.js', line: 2 },
  ]);
  t.deepEqual(graph.unresolved, [{ from: 'c.js', to: 'missing.js', line: 2 }]);
});

test('type-only imports are gone from the compiled JS, so they make no runtime cycle', (t) => {
  const sources = {
    'a.ts': "import type { B } from './b.js';\nexport type A = B;\nexport const a = 1;",
    'b.ts': "import { a } from './a.js';\nexport type B = number;\nexport const b: B = a;",
  };
  t.deepEqual(
    scanImports(sources['a.ts']).map((s) => s.specifier),
    ['./b.js'],
    'in the source the type import is there',
  );
  t.deepEqual(cyclesOf(sources, true), []);
});

test('import { type X } is not type-only: verbatimModuleSyntax keeps it as import {}, a runtime edge', (t) => {
  const sources = {
    'a.ts': "import { type B } from './b.js';\nexport type A = B;\nexport const a = 1;",
    'b.ts': "import { a } from './a.js';\nexport type B = number;\nexport const b: B = a;",
  };
  t.deepEqual(cyclesOf(sources, true), ['a.js -> b.js -> a.js']);
});

test('compiledFrom drops output whose source is gone, so a stale dist file makes no cycle', (t) => {
  const dir = writeTree({
    'src/a.ts': '',
    'src/b.mts': '',
    'dist/src/a.js': "import './stale.js';",
    'dist/src/b.mjs': "import './a.js';",
    'dist/src/stale.js': "import './a.js';",
  });
  dirs.push(dir);
  t.deepEqual(findCycles(buildImportGraph(`${dir}/dist/src`)).map(formatCycle), ['a.js -> stale.js -> a.js']);
  const graph = buildImportGraph(`${dir}/dist/src`, { keep: compiledFrom(`${dir}/src`) });
  t.deepEqual(graph.files, ['a.js', 'b.mjs']);
  t.deepEqual(findCycles(graph), []);
});
