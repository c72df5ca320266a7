import test from 'ava';
import { assemble, DoctestDirectiveError, extractBlocks, outputMatches } from '../src/index.js';

const page = [
  '# A page',
  '<!-- doctest: setup',
  "import { createSystem } from '@arbor/core';",
  '-->',
  '```ts',
  'const system = createSystem();',
  '```',
  '',
  '<!-- doctest: output',
  'ok *',
  '-->',
  'text',
  '<!-- doctest: continue -->',
  '<!-- doctest: teardown',
  'await system.shutdown();',
  '-->',
  '```ts',
  "console.log('two');",
  '```',
  '<!-- doctest: skip: needs a GPU -->',
  '```typescript',
  'gpu();',
  '```',
].join('\n');

test('blocks carry their setup, teardown, output, skip and continue directives', (t) => {
  const blocks = extractBlocks('a.md', page);
  t.is(blocks.length, 3);
  t.is(blocks[0]!.line, 5);
  t.is(blocks[0]!.setup, "import { createSystem } from '@arbor/core';");
  t.deepEqual(blocks[0]!.output, ['ok *']);
  t.true(blocks[1]!.continues);
  t.is(blocks[1]!.teardown, 'await system.shutdown();');
  t.is(blocks[2]!.skip, 'needs a GPU');
});

test('a continuing block runs the previous block (with its setup, without its teardown) first', (t) => {
  const blocks = extractBlocks('a.md', page);
  const m = assemble(blocks, 1);
  t.is(m.source, "import { createSystem } from '@arbor/core';\nconst system = createSystem();\nconsole.log('two');\nawait system.shutdown();\nexport {};\n");
  t.is(m.source.split('\n')[m.codeStart - 1], "console.log('two');");
});

test('a directive on text (not right before a block) is dropped; an unknown or unclosed one is an error', (t) => {
  t.is(extractBlocks('a.md', '<!-- doctest: skip: x -->\nprose\n```ts\n1\n```')[0]!.skip, undefined);
  t.throws(() => extractBlocks('a.md', '<!-- doctest: nope -->\n```ts\n1\n```'), { instanceOf: DoctestDirectiveError, message: /unknown doctest directive 'nope'/ });
  t.throws(() => extractBlocks('a.md', '<!-- doctest: setup\nx'), { instanceOf: DoctestDirectiveError, message: /never closed/ });
  t.throws(() => extractBlocks('a.md', '<!-- doctest: skip -->\n```ts\n1\n```'), { instanceOf: DoctestDirectiveError, message: /needs a reason/ });
});

test('output lines match exactly, with * as a wildcard', (t) => {
  t.true(outputMatches('12\nActorRef<counter Counter#abc>\n', ['12', 'ActorRef<counter Counter#*>']));
  t.false(outputMatches('12\n', ['13']));
  t.false(outputMatches('12\n13\n', ['12']));
  t.false(outputMatches('a.b\n', ['a*c']));
});
