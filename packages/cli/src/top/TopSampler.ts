import type { Dump } from '@arbor/core';
import { fetchDump, type FetchDumpOptions } from '@arbor/debug';
import { sampleOf, type TopSample } from './TopSample.js';

/** How a {@link TopSampler} reads a dump (`fetchDump` by default; a test may pass its own). */
export type ReadDump = (endpoint: string, options: FetchDumpOptions) => Promise<Dump>;

/**
 * Polls an endpoint for `arbor top`: each `next()` fetches a dump and turns it into a
 * {@link TopSample} with the message rates since the previous successful one. A failed
 * fetch rejects (with `fetchDump`'s error) and leaves the previous sample in place, so the
 * rates pick up again when the endpoint answers.
 *
 * @example
 * const sampler = new TopSampler('/tmp/arbor-1000/arbor-shop-4242.sock', { timeout: 5000 });
 * const first = await sampler.next();
 * const second = await sampler.next(); // second.rates: messages/s per actor id
 */
export class TopSampler {
  readonly endpoint: string;
  readonly #options: FetchDumpOptions;
  readonly #read: ReadDump;
  #last: TopSample | undefined;
  #lastAt = 0;

  constructor(endpoint: string, options: FetchDumpOptions, read: ReadDump = fetchDump) {
    this.endpoint = endpoint;
    this.#options = options;
    this.#read = read;
  }

  /** The last successful sample, if any. */
  get last(): TopSample | undefined {
    return this.#last;
  }

  async next(): Promise<TopSample> {
    const d = await this.#read(this.endpoint, this.#options);
    const now = performance.now();
    const sample = sampleOf(d, this.#last, now - this.#lastAt);
    this.#last = sample;
    this.#lastAt = now;
    return sample;
  }
}
