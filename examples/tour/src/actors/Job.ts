/**
 * A job that works through a quota of items and then stops itself with
 * `{ shutdown: 'quota of N reached' }`: an orderly stop that carries a detail, so
 * whoever monitors it learns why it went away (and no crash report is logged).
 */
import { GenServer, shutdownWith } from '@arbor/core';

/** What a job accepts. */
export interface JobProtocol {
  cast: { type: 'work'; item: string };
}

/** Does `quota` items, then stops; the start argument is the quota. */
export class Job extends GenServer<JobProtocol, { quota: number; done: string[] }, number> {
  override init(quota: number): void {
    this.state = { quota, done: [] };
  }

  override handleCast(msg: JobProtocol['cast']): void {
    this.state.done.push(msg.item);
    if (this.state.done.length >= this.state.quota) this.stop(shutdownWith(`quota of ${this.state.quota} reached`));
  }
}
