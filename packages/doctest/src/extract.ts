/**
 * One ```ts block of a Markdown page, with the hidden directives around it.
 *
 * Directives are HTML comments (invisible when the page is rendered) on the lines right
 * before the block, or, for `output`, right after it:
 * - `<!-- doctest: skip: why -->`: not compiled, not run (the reason is required);
 * - `<!-- doctest: compile-only: why -->`: type-checked, not run (e.g. it waits for a signal);
 * - `<!-- doctest: continue -->`: the previous block of the same page (with its setup) runs first;
 * - `<!-- doctest: setup` … `-->`: code placed before the block (the glue a fragment needs);
 * - `<!-- doctest: teardown` … `-->`: code placed after it (e.g. `await system.shutdown();`);
 * - `<!-- doctest: output` … `-->` after the block: its stdout, line by line; `*` in a line
 *   matches any run of characters (for ids and timings).
 *
 * @example
 * const blocks = extractBlocks('docs/actors.md', readFileSync('docs/actors.md', 'utf8'));
 */
export interface DocBlock {
  /** The page, relative to the repository root. */
  readonly file: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  /** The block's own code. */
  readonly code: string;
  readonly skip?: string;
  readonly compileOnly?: string;
  readonly continues: boolean;
  readonly setup: string;
  readonly teardown: string;
  /** Expected stdout lines, when the page states them. */
  readonly output?: readonly string[];
}

/** A directive that does not parse: the page and line, and what is wrong. */
export class DoctestDirectiveError extends Error {
  readonly code = 'doctest_directive' as const;
  constructor(file: string, line: number, what: string) {
    super(`${file}:${line}: ${what}`);
    this.name = 'DoctestDirectiveError';
  }
}

interface Directive { readonly kind: string; readonly arg: string; readonly body: string }

const OPEN = /^<!--\s*doctest:\s*([a-z-]+)\s*(?::\s*(.*?))?\s*(-->)?\s*$/;

/** Reads the directive comment starting at `lines[i]`; returns it and the line after it. */
function readDirective(file: string, lines: readonly string[], i: number): { d: Directive; next: number } | undefined {
  const m = OPEN.exec(lines[i]!.trim());
  if (m === null) return undefined;
  const kind = m[1]!;
  const arg = m[2] ?? '';
  if (m[3] !== undefined) return { d: { kind, arg, body: '' }, next: i + 1 };
  const body: string[] = [];
  for (let j = i + 1; j < lines.length; j++) {
    if (lines[j]!.trim() === '-->') return { d: { kind, arg, body: body.join('\n') }, next: j + 1 };
    body.push(lines[j]!);
  }
  throw new DoctestDirectiveError(file, i + 1, `the doctest ${kind} comment is never closed with a line '-->'`);
}

const KINDS = new Set(['skip', 'compile-only', 'continue', 'setup', 'teardown', 'output']);

/**
 * Every ```ts (or ```typescript) block of one Markdown page, in order.
 *
 * @example
 * extractBlocks('README.md', '```ts\nconsole.log(1)\n```\n<!-- doctest: output\n1\n-->')[0]!.output; // ['1']
 */
export function extractBlocks(file: string, markdown: string): DocBlock[] {
  const lines = markdown.split('\n');
  const blocks: DocBlock[] = [];
  let pending: Directive[] = [];
  for (let i = 0; i < lines.length; ) {
    const line = lines[i]!;
    const directive = readDirective(file, lines, i);
    if (directive !== undefined) {
      if (!KINDS.has(directive.d.kind)) throw new DoctestDirectiveError(file, i + 1, `unknown doctest directive '${directive.d.kind}' (known: ${[...KINDS].join(', ')})`);
      if (directive.d.kind === 'output') throw new DoctestDirectiveError(file, i + 1, 'a doctest output comment must follow a ```ts block directly');
      pending.push(directive.d);
      i = directive.next;
      continue;
    }
    const fence = /^(\s*)(```+)\s*(ts|typescript)\s*$/.exec(line);
    if (fence === null) {
      if (line.trim() !== '') pending = [];
      i++;
      continue;
    }
    const start = i + 1;
    const code: string[] = [];
    let j = i + 1;
    for (; j < lines.length && lines[j]!.trim() !== fence[2]; j++) code.push(lines[j]!);
    if (j >= lines.length) throw new DoctestDirectiveError(file, start, 'the ```ts block is never closed');
    i = j + 1;
    while (i < lines.length && lines[i]!.trim() === '') i++;
    let output: string[] | undefined;
    const after = i < lines.length ? readDirective(file, lines, i) : undefined;
    if (after?.d.kind === 'output') {
      output = after.d.body.split('\n');
      i = after.next;
    }
    const get = (kind: string) => pending.filter((d) => d.kind === kind);
    for (const d of [...get('skip'), ...get('compile-only')]) {
      if (d.arg === '') throw new DoctestDirectiveError(file, start, `doctest ${d.kind} needs a reason: <!-- doctest: ${d.kind}: why -->`);
    }
    blocks.push({
      file,
      line: start,
      code: code.join('\n'),
      ...(get('skip')[0] ? { skip: get('skip')[0]!.arg } : {}),
      ...(get('compile-only')[0] ? { compileOnly: get('compile-only')[0]!.arg } : {}),
      continues: get('continue').length > 0,
      setup: get('setup').map((d) => d.body).join('\n'),
      teardown: get('teardown').map((d) => d.body).join('\n'),
      ...(output ? { output } : {}),
    });
    pending = [];
  }
  return blocks;
}

/**
 * Whether `actual` stdout matches the expected lines (`*` matches any run of characters;
 * trailing blank lines are ignored on both sides).
 *
 * @example
 * outputMatches('ref ActorRef<a#1>\n', ['ref ActorRef<*>']); // true
 */
export function outputMatches(actual: string, expected: readonly string[]): boolean {
  const trim = (xs: string[]) => { while (xs.length > 0 && xs[xs.length - 1]!.trim() === '') xs.pop(); return xs; };
  const got = trim(actual.split('\n'));
  const want = trim([...expected]);
  if (got.length !== want.length) return false;
  return want.every((w, k) => {
    const re = new RegExp(`^${w.split('*').map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
    return re.test(got[k]!.trimEnd());
  });
}
