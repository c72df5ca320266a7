import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { checkLayer, findPackage, findWorkspace, LAYERS, type Layer } from '../src/index.js';
import { writeTree } from './support/trees.js';

const dirs: string[] = [];
test.after.always(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const kernel: Layer = { package: 'fixture', folder: 'src/kernel', door: 'src/kernel/index.ts', scan: ['src', 'test'] };

const pkg = {
  'src/kernel/index.ts': "export { Cell } from './Cell.js';\nexport * from './signals.js';",
  'src/kernel/Cell.ts': "import { notify } from './signals.js';\nexport class Cell {}",
  'src/kernel/signals.ts': "import type { Cell } from './Cell.js';\nexport const notify = (c: Cell) => c;",
  'src/system/good.ts': "import { Cell } from '../kernel/index.js';\nimport type { Cell as C } from '../kernel/index.js';",
  'src/system/bad.ts': [
    "import { Cell } from '../kernel/index.js';",
    "import type { Cell as C } from '../kernel/Cell.js';",
    "export * from '../kernel/signals.js';",
  ].join('\n'),
  'src/index.ts': "export { Cell } from './kernel/Cell.js';\nexport { other } from './other/kernel/x.js';",
  'test/a.test.ts': "import '../src/index.js';\nconst m = await import('../src/kernel/Cell.js');",
};

function check(files: Readonly<Record<string, string>>, layer = kernel): string[] {
  const dir = writeTree(files);
  dirs.push(dir);
  return checkLayer(dir, layer).map((v) => v.message);
}

test('imports that go around the door are flagged, import type and export * included; the kernel itself is free', (t) => {
  t.deepEqual(check(pkg), [
    'src/index.ts:1 imports kernel/Cell.js; import from kernel/index.js instead',
    'src/system/bad.ts:2 imports kernel/Cell.js; import from kernel/index.js instead',
    'src/system/bad.ts:3 imports kernel/signals.js; import from kernel/index.js instead',
    'test/a.test.ts:2 imports kernel/Cell.js; import from kernel/index.js instead',
  ]);
});

test('a package that uses only the door passes', (t) => {
  const { 'src/system/bad.ts': _bad, 'src/index.ts': _index, 'test/a.test.ts': _test, ...clean } = pkg;
  t.deepEqual(check(clean), []);
});

test('a missing door is a violation', (t) => {
  const { 'src/kernel/index.ts': _door, ...doorless } = pkg;
  const messages = check(doorless);
  t.is(messages[0], 'src/kernel/index.ts does not exist: it is the door of src/kernel/, the one module code outside it may import; create it and export from it what the rest of the package uses');
  t.is(messages.length, 5);
});

test('exceptions let a file or a folder through, to one file or to all', (t) => {
  const layer: Layer = {
    ...kernel,
    exceptions: [
      { from: 'test/', reason: 'kernel unit tests' },
      { from: 'src/system/bad.ts', to: 'src/kernel/Cell.ts', reason: 'fixture' },
    ],
  };
  t.deepEqual(check(pkg, layer), [
    'src/index.ts:1 imports kernel/Cell.js; import from kernel/index.js instead',
    'src/system/bad.ts:3 imports kernel/signals.js; import from kernel/index.js instead',
  ]);
});

const workspace = findWorkspace(dirname(fileURLToPath(import.meta.url)));

for (const layer of LAYERS) {
  test(`${layer.package}: code outside ${layer.folder}/ imports it only through ${layer.door}`, (t) => {
    const violations = checkLayer(findPackage(workspace, layer.package).dir, layer);
    t.deepEqual(
      violations.map((v) => v.message),
      [],
      `${violations.length} imports of ${layer.package} go around ${layer.door}`,
    );
  });
}
