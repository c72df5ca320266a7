import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The Markdown pages whose ```ts blocks are doctested, relative to the repository root:
 * README.md, docs/*.md, and the README.md of every package and example.
 *
 * @example
 * docPages('/repo'); // ['README.md', 'docs/actors.md', ..., 'packages/core/README.md', ...]
 */
export function docPages(root: string): string[] {
  const pages = ['README.md'];
  const md = (dir: string) => (existsSync(join(root, dir)) ? readdirSync(join(root, dir)).filter((f) => f.endsWith('.md')).sort().map((f) => `${dir}/${f}`) : []);
  pages.push(...md('docs'));
  for (const group of ['packages', 'examples']) {
    if (!existsSync(join(root, group))) continue;
    for (const name of readdirSync(join(root, group)).sort()) {
      if (existsSync(join(root, group, name, 'README.md'))) pages.push(`${group}/${name}/README.md`);
    }
  }
  return pages;
}
