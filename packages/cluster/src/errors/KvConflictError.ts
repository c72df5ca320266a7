import { ArborError } from '@arbor/core';

/**
 * A compare-and-set on a key-value bucket lost: `create` found the key taken, or `update` /
 * `delete` named a revision the key is no longer at. `currentRevision` is the key's revision
 * when the store knows it.
 *
 * @example
 * try { await kv.create('lease.n1', value) }
 * catch (e) { if (e instanceof KvConflictError) console.log('taken at', e.currentRevision) }
 */
export class KvConflictError extends ArborError {
  readonly code = 'kv_conflict' as const;
  constructor(
    readonly operation: string,
    readonly bucket: string,
    readonly key: string,
    readonly currentRevision?: number,
  ) {
    super(
      `${operation} of ${JSON.stringify(key)} in bucket ${JSON.stringify(bucket)} lost a compare-and-set` +
        (currentRevision === undefined ? '' : ` (the key is at revision ${currentRevision})`) +
        '; read the key again and retry with its current revision',
    );
  }
}
