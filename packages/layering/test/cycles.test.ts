import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { buildImportGraph, compiledFrom, findCycles, findWorkspace, formatCycle } from '../src/index.js';

const workspace = findWorkspace(dirname(fileURLToPath(import.meta.url)));
const self = workspace.packages.find((p) => p.name === '@arbor/layering')!;

test('every workspace package with a src/ is built first: it is a devDependency of @arbor/layering', (t) => {
  const manifest = JSON.parse(readFileSync(join(self.dir, 'package.json'), 'utf8')) as { devDependencies?: Record<string, string> };
  const listed = Object.keys(manifest.devDependencies ?? {});
  const needed = workspace.packages.filter((p) => p !== self && existsSync(join(p.dir, 'src'))).map((p) => p.name);
  t.true(needed.includes('@arbor/core'), `found no @arbor/core among ${workspace.packages.map((p) => p.path).join(', ')}`);
  t.deepEqual(
    needed.filter((n) => !listed.includes(n)),
    [],
    'add these to devDependencies of packages/layering/package.json, so turbo builds them before the cycle tests read their dist/src',
  );
});

for (const pkg of workspace.packages) {
  const dist = join(pkg.dir, 'dist', 'src');
  if (!existsSync(dist)) continue;
  test(`${pkg.name} (${pkg.path}) has no runtime import cycle`, (t) => {
    const cycles = findCycles(buildImportGraph(dist, { keep: compiledFrom(join(pkg.dir, 'src')) }));
    t.deepEqual(
      cycles.map(formatCycle),
      [],
      `runtime import cycles in ${pkg.path}/dist/src (files in a tangle: ${[...new Set(cycles.flatMap((c) => c.component))].join(', ')}):\n${cycles.map(formatCycle).join('\n')}`,
    );
  });
}
