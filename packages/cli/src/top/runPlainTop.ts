import { ArborError } from '@arbor/core';
import { pause } from './pause.js';
import { renderTop } from './renderTop.js';
import type { TopSampler } from './TopSampler.js';

/** What {@link runPlainTop} needs. */
export interface PlainTopOptions {
  readonly sampler: TopSampler;
  readonly intervalMs: number;
  /** Samples to print before exiting 0 (default: until the endpoint goes away or `stop` aborts). */
  readonly count?: number;
  /** Rows in each top list (default 5). */
  readonly limit?: number;
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  /** Aborted on SIGTERM: the loop ends and resolves 0. */
  readonly stop: AbortSignal;
}

/**
 * `arbor top` when stdout is not a terminal: one plain block per sample (the whole tree, no
 * escape codes, a blank line between blocks), every `intervalMs`. Resolves with the exit
 * code: 0 after `count` samples, on `stop`, or when the endpoint goes away without a
 * `count` (a line on stderr says so); 2 when it goes away before `count` samples. The
 * first fetch's error is thrown, as `arbor dump` would report it.
 *
 * @example
 * const code = await runPlainTop({ sampler, intervalMs: 1000, count: 3, stdout: process.stdout, stderr: process.stderr, stop });
 */
export async function runPlainTop(o: PlainTopOptions): Promise<number> {
  for (let n = 1; ; n++) {
    let lines: string[];
    try {
      const sample = await o.sampler.next();
      lines = renderTop(sample, { width: Infinity, height: Infinity, ...(o.limit === undefined ? {} : { limit: o.limit }) });
    } catch (e) {
      if (n === 1 || !(e instanceof ArborError)) throw e;
      o.stderr.write(`arbor: ${o.sampler.endpoint} went away after ${n - 1} sample${n === 2 ? '' : 's'}: ${e.message}\n`);
      return o.count === undefined ? 0 : 2;
    }
    o.stdout.write(`${n === 1 ? '' : '\n'}${lines.join('\n')}\n`);
    if (o.count !== undefined && n >= o.count) return 0;
    if (!(await pause(o.intervalMs, o.stop))) return 0;
  }
}
