import { ArborError } from '@arbor/core';

/**
 * The worker's parent-side queue is full (`maxQueue` requests wait already): the request
 * was not queued. Back off, or raise `maxQueue`.
 *
 * @example
 * catch (e) { if (e instanceof WorkerQueueFullError) await sleep(10) }
 */
export class WorkerQueueFullError extends ArborError {
  readonly code = 'queue_full' as const;
  constructor(readonly workerId: string, readonly method: string, readonly maxQueue: number) {
    super(`request ${JSON.stringify(method)}: worker ${JSON.stringify(workerId)} has ${maxQueue} requests queued already (maxQueue); retry later or raise { maxQueue }`);
  }
}
