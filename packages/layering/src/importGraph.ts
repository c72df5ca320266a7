import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, normalize } from 'node:path';
import type * as TS from 'typescript';
import { listFiles, toPosix } from './workspace.js';

/** One module specifier in a file: `'./x.js'` and the 1-based line it is on. */
export interface ImportSite {
  readonly specifier: string;
  readonly line: number;
}

/**
 * Every module specifier a file's text names: `import … from`, `export … from`
 * (`export *` too), side-effect `import 'x'`, `import('x')` with a literal, `require('x')`
 * and `import x = require('x')`, in source order. It is a lexical scan (the compiler's
 * `ts.preProcessFile`): comments and strings are skipped, and `import type` is kept — in
 * compiled JS there is none left, in a .ts source it is an import like any other.
 *
 * @example
 * scanImports("import { a } from './a.js';\nexport * from './b.js';");
 * // [{ specifier: './a.js', line: 1 }, { specifier: './b.js', line: 2 }]
 */
export function scanImports(text: string): ImportSite[] {
  const { importedFiles } = typescript().preProcessFile(text, true, true);
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  return importedFiles
    .map((f) => ({ specifier: f.fileName, line: lineOf(lineStarts, f.pos), pos: f.pos }))
    .sort((a, b) => a.pos - b.pos)
    .map(({ specifier, line }) => ({ specifier, line }));
}

let compiler: typeof TS | undefined;

/** The compiler, loaded on first use (it is large; workspace look-ups do not need it). */
function typescript(): typeof TS {
  compiler ??= createRequire(import.meta.url)('typescript') as typeof TS;
  return compiler;
}

function lineOf(lineStarts: readonly number[], pos: number): number {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lineStarts[mid]! <= pos) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

/**
 * Where a relative specifier in `file` points, as a path relative to the same root
 * (`kernel/Cell.js` from `system/x.js` and `'../kernel/Cell.js'`); `undefined` for a bare
 * specifier (`'node:fs'`, `'@arbor/core'`), which leaves the package.
 *
 * @example
 * resolveRelative('system/x.js', '../kernel/Cell.js'); // 'kernel/Cell.js'
 * resolveRelative('system/x.js', 'node:fs');           // undefined
 */
export function resolveRelative(file: string, specifier: string): string | undefined {
  if (specifier !== '.' && specifier !== '..' && !specifier.startsWith('./') && !specifier.startsWith('../')) return undefined;
  return toPosix(normalize(join(dirname(file), specifier)));
}

/** A runtime import edge: `from` imports `to` on `line`. Paths are relative to the graph's root. */
export interface ImportEdge {
  readonly from: string;
  readonly to: string;
  readonly line: number;
}

/** The import graph of the files under one root. */
export interface ImportGraph {
  /** The directory the paths are relative to. */
  readonly root: string;
  /** Every file scanned, sorted. */
  readonly files: readonly string[];
  /** Each file's imports of other scanned files, in source order. */
  readonly edges: ReadonlyMap<string, readonly ImportEdge[]>;
  /** Relative imports that name no scanned file (a missing file, a .json, a folder). */
  readonly unresolved: readonly ImportEdge[];
}

/** What buildImportGraph scans. */
export interface ImportGraphOptions {
  /** File name endings to scan; default `.js`, `.mjs`, `.cjs`. */
  readonly extensions?: readonly string[];
  /** Which of those files count (path relative to the root); default all. See compiledFrom. */
  readonly keep?: (file: string) => boolean;
}

/**
 * A `keep` filter for buildImportGraph that drops stale output: a file of `dist/src` counts
 * only if `srcDir` still has its source (`x.js` from `x.ts`, `.tsx`, `.mts`/`.mjs`,
 * `.cts`/`.cjs` or `.js`). tsc never deletes what it emitted for a source since removed.
 *
 * @example
 * buildImportGraph('packages/core/dist/src', { keep: compiledFrom('packages/core/src') });
 */
export function compiledFrom(srcDir: string): (file: string) => boolean {
  return (file) => {
    const base = file.replace(/\.([cm]?)js$/, '');
    const kind = /\.([cm]?)js$/.exec(file)?.[1] ?? '';
    return [`.${kind}ts`, `.${kind}js`, ...(kind === '' ? ['.tsx', '.jsx'] : [])].some((ext) => existsSync(join(srcDir, base + ext)));
  };
}

/**
 * Builds the import graph of the JS files under `root` (default: `.js`, `.mjs`, `.cjs`),
 * relative specifiers only. Point it at a package's `dist/src`: tsc has erased the type-only
 * imports there, so what is left is the graph Node walks at run time.
 *
 * @example
 * const graph = buildImportGraph('packages/core/dist/src');
 * graph.edges.get('kernel/Cell.js'); // [{ from: 'kernel/Cell.js', to: 'kernel/signals.js', line: 3 }, ...]
 */
export function buildImportGraph(root: string, options: ImportGraphOptions = {}): ImportGraph {
  const { extensions = ['.js', '.mjs', '.cjs'], keep = () => true } = options;
  const files = listFiles(root, extensions).filter(keep);
  const known = new Set(files);
  const edges = new Map<string, ImportEdge[]>();
  const unresolved: ImportEdge[] = [];
  for (const from of files) {
    const out: ImportEdge[] = [];
    for (const { specifier, line } of scanImports(readFileSync(join(root, from), 'utf8'))) {
      const to = resolveRelative(from, specifier);
      if (to === undefined) continue;
      (known.has(to) ? out : unresolved).push({ from, to, line });
    }
    edges.set(from, out);
  }
  return { root, files, edges, unresolved };
}

/** One import cycle: `files[0]` imports `files[1]` … and the last imports `files[0]`. */
export interface ImportCycle {
  readonly files: readonly string[];
  /** The strongly connected component the cycle lies in (every file in it, sorted). */
  readonly component: readonly string[];
}

/**
 * The import cycles of a graph. Tarjan's algorithm finds the strongly connected components;
 * for each component with a cycle, the shortest cycles through its files (in path order)
 * are reported until every file of the component is on one. No cycle: an empty list.
 *
 * @example
 * for (const c of findCycles(buildImportGraph('packages/core/dist/src'))) console.log(formatCycle(c));
 * // kernel/Cell.js -> kernel/signals.js -> system/validateBehaviour.js -> behaviour/Behaviour.js -> kernel/Cell.js
 */
export function findCycles(graph: ImportGraph): ImportCycle[] {
  const next = (file: string): string[] => [...new Set((graph.edges.get(file) ?? []).map((e) => e.to))];
  const cycles: ImportCycle[] = [];
  for (const component of stronglyConnected(graph.files, next)) {
    const members = new Set(component);
    const only = component[0]!;
    if (component.length === 1 && !next(only).includes(only)) continue;
    const covered = new Set<string>();
    for (const start of component) {
      if (covered.has(start)) continue;
      const files = shortestCycle(start, (f) => next(f).filter((t) => members.has(t)));
      for (const f of files) covered.add(f);
      cycles.push({ files, component });
    }
  }
  return cycles;
}

/**
 * A cycle as one readable chain, back to its first file.
 *
 * @example
 * formatCycle({ files: ['a.js', 'b.js'], component: ['a.js', 'b.js'] }); // 'a.js -> b.js -> a.js'
 */
export function formatCycle(cycle: ImportCycle): string {
  return [...cycle.files, cycle.files[0]!].join(' -> ');
}

/** Tarjan's strongly connected components, each sorted, in order of their first file. */
function stronglyConnected(nodes: readonly string[], next: (node: string) => readonly string[]): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter);
    counter += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of next(v)) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      components.push(component.sort());
    }
  };
  for (const v of nodes) if (!index.has(v)) visit(v);
  return components.sort((a, b) => (a[0]! < b[0]! ? -1 : 1));
}

/** The shortest path from `start` back to itself (breadth first), without repeating `start`. */
function shortestCycle(start: string, next: (node: string) => readonly string[]): string[] {
  const parent = new Map<string, string>();
  const queue = [start];
  for (let i = 0; i < queue.length; i += 1) {
    const v = queue[i]!;
    for (const w of next(v)) {
      if (w === start) {
        const path = [v];
        while (path[0] !== start) path.unshift(parent.get(path[0]!)!);
        return path;
      }
      if (!parent.has(w)) {
        parent.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start];
}
