/**
 * Every ```ts block of README.md, docs/*.md and the package READMEs, compiled with the
 * repository's strict options in one program and run in a child process: one test per block.
 * Directives (hidden HTML comments) are described in src/extract.ts.
 */
import test from 'ava';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assemble, compileBlocks, docPages, extractBlocks, outputMatches, runBlock } from '../src/index.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const blocks = docPages(root).flatMap((page) => extractBlocks(page, readFileSync(join(root, page), 'utf8')));
const assembled = blocks.map((_, i) => assemble(blocks, i));
const toCompile = assembled.filter((a) => a.block.skip === undefined);
const compiled = new Map(compileBlocks(toCompile, root, join(root, 'packages/doctest/.blocks')).map((c) => [c.assembled, c]));

test('the doc pages have ts blocks to check', (t) => {
  t.true(blocks.length >= 10, `found ${blocks.length} blocks`);
});

for (const a of assembled) {
  const b = a.block;
  const title = `${b.file}:${b.line}`;
  if (b.skip !== undefined) {
    test.skip(`${title} (skipped: ${b.skip})`, () => {});
    continue;
  }
  test.serial(title, async (t) => {
    const c = compiled.get(a)!;
    t.deepEqual(c.errors, [], `the block does not compile:\n${c.errors.join('\n')}`);
    if (c.errors.length > 0 || b.compileOnly !== undefined) return;
    const run = await runBlock(c.jsPath, { timeoutMs: 30_000 });
    const shown = `stdout:\n${run.stdout}\nstderr:\n${run.stderr}`;
    t.false(run.timedOut, `the block did not finish within 30 s\n${shown}`);
    t.is(run.code, 0, `the block exited with ${run.code ?? run.signal}\n${shown}`);
    t.deepEqual(run.leftovers, [], 'the block left processes running (killed now)');
    if (b.output !== undefined) t.true(outputMatches(run.stdout, b.output), `stdout differs from the page's doctest output:\nexpected:\n${b.output.join('\n')}\ngot:\n${run.stdout}`);
  });
}
