import { rmSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { findPackage, findWorkspace, listFiles, UnknownPackageError, WorkspaceNotFoundError, WorkspacePatternError } from '../src/index.js';
import { writeTree } from './support/trees.js';

const dirs: string[] = [];
test.after.always(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function tree(files: Readonly<Record<string, string>>): string {
  const dir = writeTree(files);
  dirs.push(dir);
  return dir;
}

test('findWorkspace walks up to the root package.json and lists the packages its patterns name', (t) => {
  const root = tree({
    'package.json': JSON.stringify({ workspaces: ['packages/*', 'tools'] }),
    'packages/b/package.json': JSON.stringify({ name: '@x/b' }),
    'packages/a/package.json': JSON.stringify({ name: '@x/a' }),
    'packages/a/src/deep/x.ts': '',
    'packages/notes/README.md': '',
    'tools/package.json': JSON.stringify({ name: '@x/tools' }),
  });
  const ws = findWorkspace(join(root, 'packages/a/src/deep'));
  t.is(ws.root, root);
  t.deepEqual(ws.packages.map((p) => [p.name, p.path]), [['@x/a', 'packages/a'], ['@x/b', 'packages/b'], ['@x/tools', 'tools']]);
  t.is(findPackage(ws, '@x/b').dir, join(root, 'packages/b'));
  t.throws(() => findPackage(ws, '@x/nope'), { instanceOf: UnknownPackageError, message: /@x\/nope, which is not a workspace package; known: @x\/a, @x\/b, @x\/tools/ });
});

test('findWorkspace says what it could not find or read', (t) => {
  const lone = tree({ 'package.json': JSON.stringify({ name: 'lone' }) });
  t.throws(() => findWorkspace(lone), { instanceOf: WorkspaceNotFoundError, message: /no package\.json with "workspaces"/ });
  const globby = tree({ 'package.json': JSON.stringify({ workspaces: ['packages/**'] }) });
  t.throws(() => findWorkspace(globby), { instanceOf: WorkspacePatternError, message: /"packages\/\*\*" is not supported/ });
});

test('listFiles lists by ending, sorted, relative, without node_modules; a missing dir has none', (t) => {
  const dir = tree({ 'b.js': '', 'a/c.js': '', 'a/c.d.ts': '', 'node_modules/x/y.js': '', 'z.json': '' });
  t.deepEqual(listFiles(dir, ['.js']), ['a/c.js', 'b.js']);
  t.deepEqual(listFiles(join(dir, 'missing'), ['.js']), []);
});
