import { InvalidOptionError } from '../errors/errors.js';

/**
 * The known key closest to a mistyped one, or undefined when none is close: the optimal
 * string alignment distance (edits, with a swap of two neighbours as one edit) at most a
 * third of the key's length, and at least 2.
 *
 * @example
 * closestKey('shutdwon', ['id', 'start', 'shutdown']) // 'shutdown'
 */
export function closestKey(key: string, known: readonly string[]): string | undefined {
  if (typeof key !== 'string') throw new InvalidOptionError('closestKey: key', 'a string', key);
  if (!Array.isArray(known)) throw new InvalidOptionError('closestKey: known', 'an array of strings', known);
  const limit = Math.max(2, Math.floor(key.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (d <= limit && d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** Optimal string alignment distance between two short strings. */
function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array(rows * cols).fill(0);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[(i - 1) * cols + j]! + 1, d[i * cols + j - 1]! + 1, d[(i - 1) * cols + j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[(i - 2) * cols + j - 2]! + 1);
      d[i * cols + j] = v;
    }
  }
  return d[rows * cols - 1]!;
}
