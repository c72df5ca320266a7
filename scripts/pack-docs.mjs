// Makes a package's README links work in its npm tarball. In the repository a package README
// links the shared pages as ../../docs/<page>.md; a tarball has no ../../docs. On `prepack`
// (run in the package's folder) this copies docs/*.md into the package's docs/ and points the
// README's links there, keeping the original as .README.md.prepack (not shipped); on `postpack`
// it restores the README and removes the copies.
//   node ../../scripts/pack-docs.mjs prepare | restore
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const mode = process.argv[2];
const pkg = process.cwd();
const docs = join(pkg, '..', '..', 'docs');
const readme = join(pkg, 'README.md');
const orig = join(pkg, '.README.md.prepack'); // not shipped: outside "files", and not named README*
const shipped = join(pkg, 'docs');

if (mode === 'prepare') {
  if (existsSync(orig)) throw new Error(`${orig} exists: a previous pack did not finish; restore it first (node scripts/pack-docs.mjs restore)`);
  mkdirSync(shipped, { recursive: true });
  for (const page of readdirSync(docs).filter((f) => f.endsWith('.md'))) copyFileSync(join(docs, page), join(shipped, page));
  const text = readFileSync(readme, 'utf8');
  renameSync(readme, orig);
  writeFileSync(readme, text.replaceAll('](../../docs/', '](docs/'));
} else if (mode === 'restore') {
  if (existsSync(orig)) renameSync(orig, readme);
  rmSync(shipped, { recursive: true, force: true });
} else {
  throw new Error('usage: node scripts/pack-docs.mjs prepare | restore');
}
