/**
 * The stats task: a plain module that the stats job pool's thread workers
 * (`TASK_WORKER_URL`) import once each and call by name. It is the CPU work of
 * `GET /documents/:id/stats`: counts, word frequencies, an iterated SHA-256 digest, and
 * (on request) the distinct N-word phrases, which is what can run a worker out of heap.
 */
import { createHash } from 'node:crypto';
import { threadId } from 'node:worker_threads';

/** What `stats` answers. */
export interface DocumentStats {
  readonly words: number;
  readonly lines: number;
  readonly chars: number;
  /** The five most frequent words (lowercased), most frequent first. */
  readonly topWords: readonly (readonly [string, number])[];
  /** SHA-256 of the text, re-hashed `rounds` times, in hex. */
  readonly digest: string;
  readonly rounds: number;
  /** Distinct phrases of `phrases` words, when asked for. */
  readonly distinctPhrases?: number;
  /** The worker thread that computed it. */
  readonly threadId: number;
}

/**
 * Computes a document's stats. `rounds` re-hashes the digest (CPU time, on purpose);
 * `phrases` > 1 also counts the distinct phrases of that many words, keeping every one in
 * a Map: on a large document with long phrases this needs far more heap than the text.
 *
 * @example
 * await pool.run(defineTask<[string, number, number], DocumentStats>(STATS_TASKS, 'stats'), ['to be or not', 1, 0]);
 * // { words: 4, lines: 1, chars: 12, topWords: [['be', 1], ...], digest: '…', rounds: 1, threadId: 2 }
 */
export function stats(text: string, rounds: number, phrases: number): DocumentStats {
  const words = text.toLowerCase().match(/[a-z][a-z'-]*/g) ?? [];
  const freq = new Map<string, number>();
  for (const w of words) freq.set(w, (freq.get(w) ?? 0) + 1);
  const topWords = [...freq].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 5);
  let digest = createHash('sha256').update(text).digest();
  for (let i = 1; i < rounds; i++) digest = createHash('sha256').update(digest).digest();
  const result: DocumentStats = {
    words: words.length,
    lines: text === '' ? 0 : text.split('\n').length,
    chars: text.length,
    topWords,
    digest: digest.toString('hex'),
    rounds,
    threadId,
  };
  if (phrases <= 1) return result;
  const seen = new Map<string, number>();
  for (let i = 0; i + phrases <= words.length; i++) {
    const phrase = words.slice(i, i + phrases).join(' ');
    seen.set(phrase, (seen.get(phrase) ?? 0) + 1);
  }
  return { ...result, distinctPhrases: seen.size };
}
