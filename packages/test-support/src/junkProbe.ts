/**
 * The junk probe: calls a public entry point with one junk value and tells what came
 * out (a value, a throw, a rejection, or nothing within a bound: a hang).
 */

/** The junk values every probe tries, by label. */
export function junkValues(): [label: string, value: unknown][] {
  const cyclic: Record<string, unknown> = {};
  cyclic['self'] = cyclic;
  return [
    ['undefined', undefined],
    ['null', null],
    ['5', 5],
    ["'x'", 'x'],
    ['{}', {}],
    ['[]', []],
    ['cyclic object', cyclic],
    ['function', function junk() {}],
  ];
}

/** An array that contains itself. */
export function cyclicArray(): unknown[] {
  const a: unknown[] = [1];
  a.push(a);
  return a;
}

/** `[[[...[1]...]]]`, `depth` arrays deep. */
export function deepArray(depth: number): unknown[] {
  let a: unknown[] = [1];
  for (let i = 1; i < depth; i++) a = [a];
  return a;
}

/** What a probe did. */
export type Outcome = { kind: 'value'; value: unknown } | { kind: 'threw' | 'rejected'; error: unknown } | { kind: 'hang' };

/** Runs `fn`; a returned promise is awaited up to `boundMs` (then the outcome is a hang). */
export async function probe(fn: () => unknown, boundMs = 3000): Promise<Outcome> {
  let r: unknown;
  try {
    r = fn();
  } catch (error) {
    return { kind: 'threw', error };
  }
  if (r === null || (typeof r !== 'object' && typeof r !== 'function') || typeof (r as Promise<unknown>).then !== 'function') return { kind: 'value', value: r };
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<Outcome>((resolve) => {
    timer = setTimeout(() => resolve({ kind: 'hang' }), boundMs);
  });
  const settled = (r as Promise<unknown>).then(
    (value): Outcome => ({ kind: 'value', value }),
    (error): Outcome => ({ kind: 'rejected', error }),
  );
  try {
    return await Promise.race([settled, hang]);
  } finally {
    clearTimeout(timer);
  }
}

/** One line about an outcome, for an assertion message. */
export function showOutcome(o: Outcome): string {
  if (o.kind === 'hang') return 'did not settle';
  if (o.kind === 'value') return `returned ${typeof o.value}`;
  const e = o.error as { constructor?: { name?: string }; message?: string };
  return `${o.kind} ${e?.constructor?.name ?? typeof e}: ${e?.message ?? String(e)}`;
}

/**
 * Builds each error class with every junk value: each must construct (never throw) an error
 * that `isOurs` accepts, with a one-line string message. Returns one line per failure.
 *
 * @example
 * t.deepEqual(await probeErrorConstructors([['BadKeyError', (v) => new BadKeyError(v)]], (e) => e instanceof ArborError), []);
 */
export async function probeErrorConstructors(errors: readonly (readonly [name: string, make: (value: unknown) => unknown])[], isOurs: (error: unknown) => boolean): Promise<string[]> {
  const wrong: string[] = [];
  for (const [name, make] of errors) {
    for (const [label, value] of junkValues()) {
      const o = await probe(() => make(value));
      const ok = o.kind === 'value' && isOurs(o.value) && typeof (o.value as Error).message === 'string' && !(o.value as Error).message.includes('\n');
      if (!ok) wrong.push(`new ${name}(${label}): ${showOutcome(o)}`);
    }
  }
  return wrong;
}
