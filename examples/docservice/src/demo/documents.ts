/**
 * Documents for the demo's load: sentences of words drawn from a small vocabulary, with
 * a seeded generator so every run posts the same texts.
 */

const VOCABULARY = (
  'actor supervisor mailbox message restart crash worker thread process pool table owner registry session ' +
  'document summary keyword digest request reply error timeout memory heap python node linux signal orphan ' +
  'tree branch leaf root strategy intensity period child parent monitor link exit reason state call cast ' +
  'the a of and to in is it that for on with as by at from this be are was an or which'
).split(' ');

/**
 * A deterministic generator of 32-bit values (mulberry32).
 *
 * @example
 * const next = seeded(42); next(); // 0.6011...
 */
export function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A document of about `words` words, in sentences, lines of a few sentences each.
 *
 * @example
 * documentText(seeded(1), 120); // 'Worker restart the pool ... .\n...'
 */
export function documentText(next: () => number, words: number): string {
  const lines: string[] = [];
  let line: string[] = [];
  let count = 0;
  while (count < words) {
    const n = 6 + Math.floor(next() * 9);
    const sentence = Array.from({ length: n }, () => VOCABULARY[Math.floor(next() * VOCABULARY.length)]!);
    sentence[0] = sentence[0]!.charAt(0).toUpperCase() + sentence[0]!.slice(1);
    line.push(`${sentence.join(' ')}${next() < 0.2 ? '!' : '.'}`);
    count += n;
    if (line.length === 3) {
      lines.push(line.join(' '));
      line = [];
    }
  }
  if (line.length > 0) lines.push(line.join(' '));
  return lines.join('\n');
}
