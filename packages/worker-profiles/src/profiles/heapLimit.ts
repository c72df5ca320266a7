import { InvalidOptionError } from '@arbor/core';

const MIB = 1024 * 1024;

/** `--max-old-space-size=N`, `--max_old_space_size N` (V8 takes dashes or underscores). */
const HEAP_FLAG = /^--max[-_]old[-_]space[-_]size(=|$)/;

/**
 * A `withHeapLimit` argument as whole MiB (rounded up), or an InvalidOptionError naming `op`.
 * @internal
 *
 * @example
 * heapLimitMb('threadProfile.withHeapLimit', 64 * 1024 * 1024 + 1); // 65
 */
export function heapLimitMb(op: string, maxHeapBytes: unknown): number {
  if (typeof maxHeapBytes !== 'number' || !Number.isFinite(maxHeapBytes) || !(maxHeapBytes > 0)) {
    throw new InvalidOptionError(`${op}(maxHeapBytes)`, 'a positive number of bytes (64 * 1024 * 1024 for 64 MiB)', maxHeapBytes);
  }
  return Math.ceil(maxHeapBytes / MIB);
}

/**
 * Whether Node flags set the old-generation size (`--max-old-space-size`).
 * @internal
 *
 * @example
 * hasHeapFlag(['--max-old-space-size=64']); // true
 */
export function hasHeapFlag(flags: readonly string[]): boolean {
  return flags.some((flag) => HEAP_FLAG.test(flag));
}

/**
 * `flags` without any `--max-old-space-size` (the `=N` form, or the flag and its value as
 * two entries), then `--max-old-space-size=<mb>`.
 * @internal
 *
 * @example
 * withHeapFlag(['--max-old-space-size', '512', '--trace-gc'], 64); // ['--trace-gc', '--max-old-space-size=64']
 */
export function withHeapFlag(flags: readonly string[], mb: number): string[] {
  const kept: string[] = [];
  for (let i = 0; i < flags.length; i++) {
    const flag = flags[i]!;
    const match = HEAP_FLAG.exec(flag);
    if (match === null) kept.push(flag);
    else if (match[1] === '' && i + 1 < flags.length && /^\d/.test(flags[i + 1]!)) i++; // its value, as the next entry
  }
  kept.push(`--max-old-space-size=${mb}`);
  return kept;
}

/**
 * Whether this process itself runs with `--max-old-space-size` (in `process.execArgv` or
 * `NODE_OPTIONS`), which overrides worker threads' `maxOldGenerationSizeMb` (nodejs/node#43991).
 * @internal
 *
 * @example
 * if (parentHeapFlag()) console.warn('thread heap caps are not enforced in this process');
 */
export function parentHeapFlag(): boolean {
  return hasHeapFlag([...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)]);
}
