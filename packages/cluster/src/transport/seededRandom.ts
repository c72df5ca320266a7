/**
 * A deterministic PRNG (mulberry32): the same seed gives the same sequence of numbers in [0, 1).
 * The memory network's loss switch draws from it, so a lossy test run can be replayed.
 *
 * @example
 * const next = seededRandom(42);
 * next(); // 0.6011037519201636, every time
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
