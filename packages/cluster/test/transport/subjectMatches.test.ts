import test from 'ava';
import { isValidSubject, subjectMatches } from '../../src/index.js';

const table: Array<[pattern: string, subject: string, matches: boolean]> = [
  ['a.b.c', 'a.b.c', true],
  ['a.b.c', 'a.b', false],
  ['a.b', 'a.b.c', false],
  ['a.*.c', 'a.b.c', true],
  ['a.*.c', 'a.b.d', false],
  ['a.*', 'a.b.c', false],
  ['*', 'a', true],
  ['*', 'a.b', false],
  ['a.>', 'a.b', true],
  ['a.>', 'a.b.c.d', true],
  ['a.>', 'a', false],
  ['>', 'a.b.c', true],
  ['*.b.>', 'x.b.c', true],
  ['*.b.>', 'x.c.c', false],
  ['arbor.c.hb.*', 'arbor.c.hb.n1-1', true],
  ['arbor.c.n.n1-1', 'arbor.c.n.n1-2', false],
  ['a.b*', 'a.bx', false], // '*' inside a token is a literal character, not a wildcard
  ['a.b*', 'a.b*', true],
  ['a.>.c', 'a.b.c', false], // '>' not last: invalid pattern
  ['a..b', 'a..b', false], // empty token: invalid
  ['a.b', 'a.*', false], // wildcard in a publish subject: invalid
  ['', '', false],
];

for (const [pattern, subject, matches] of table) {
  test(`subjectMatches(${JSON.stringify(pattern)}, ${JSON.stringify(subject)}) is ${matches}`, (t) => {
    t.is(subjectMatches(pattern, subject), matches);
  });
}

test('isValidSubject refuses empty tokens, whitespace, and wildcards where they are not allowed', (t) => {
  t.true(isValidSubject('a.b', false));
  t.true(isValidSubject('a.*.>', true));
  t.false(isValidSubject('a.*', false));
  t.false(isValidSubject('a.>.b', true));
  t.false(isValidSubject('a. b', true));
  t.false(isValidSubject('.a', true));
  t.false(isValidSubject('a.', true));
  t.false(isValidSubject('', true));
});
