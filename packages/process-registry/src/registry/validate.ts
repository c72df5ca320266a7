import { InvalidOptionError, isActorRef, refExpected } from '@arbor/core';

/**
 * The longest worker id, in UTF-8 bytes. LMDB refuses keys over 1,978 bytes, and a key is
 * `[runId, workerId]` (a 21-character run id and the encoding's separators included):
 * 1,024 bytes leaves room to spare.
 *
 * @example
 * Buffer.byteLength(workerId, 'utf8') <= MAX_WORKER_ID_BYTES
 */
export const MAX_WORKER_ID_BYTES = 1024;

/**
 * Why `workerId` cannot be a worker id, or undefined if it can: a non-empty string without
 * NUL characters, of at most {@link MAX_WORKER_ID_BYTES} UTF-8 bytes.
 *
 * @example
 * workerIdProblem('w'.repeat(2000)) // 'a non-empty string without NUL characters, of at most 1024 UTF-8 bytes'
 */
export function workerIdProblem(workerId: unknown): string | undefined {
  if (typeof workerId === 'string' && workerId.length > 0 && !workerId.includes('\0') && Buffer.byteLength(workerId, 'utf8') <= MAX_WORKER_ID_BYTES) {
    return undefined;
  }
  return `a non-empty string without NUL characters, of at most ${MAX_WORKER_ID_BYTES} UTF-8 bytes`;
}

/**
 * Returns `workerId` if it is a valid worker id, else throws `InvalidOptionError` naming the call.
 *
 * @example
 * const id = checkWorkerId('reserveWorker', workerId);
 */
export function checkWorkerId(op: string, workerId: unknown): string {
  const problem = workerIdProblem(workerId);
  if (problem !== undefined) throw new InvalidOptionError(`ProcessRegistry.${op}: workerId`, problem, describeLong(workerId));
  return workerId as string;
}

/** A long string is shown by its length and start (an error message is one readable line). */
function describeLong(v: unknown): unknown {
  return typeof v === 'string' && v.length > 60 ? `${v.slice(0, 40)}… (${v.length} characters, ${Buffer.byteLength(v, 'utf8')} bytes)` : v;
}

/**
 * Why an `activateWorker` request cannot be taken, or undefined: the field and what it must be.
 *
 * @example
 * activateProblem({ workerId: 'w', actor: 'x', osPid: 5, fingerprint: null }) // ['actor', 'an ActorRef returned by spawn, or undefined']
 */
export function activateProblem(req: { workerId: unknown; actor: unknown; osPid: unknown; fingerprint: unknown }): [field: string, expected: string] | undefined {
  const id = workerIdProblem(req.workerId);
  if (id !== undefined) return ['workerId', id];
  if (req.actor !== undefined && !isActorRef(req.actor)) return ['actor', refExpected('undefined')];
  if (typeof req.osPid !== 'number' || !Number.isSafeInteger(req.osPid) || req.osPid <= 0) return ['osPid', 'a positive integer (the child process pid)'];
  if (req.fingerprint !== null && typeof req.fingerprint !== 'string') return ['fingerprint', 'a string or null'];
  return undefined;
}
