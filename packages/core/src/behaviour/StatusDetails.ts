import { formatReason } from '../exit/ExitReason.js';

/** One value `formatStatus` may report. */
export type StatusValue = string | number | boolean | null;

/**
 * What a behaviour's `formatStatus()` returns: a few flat key/values shown as `details` by
 * `getStatus` and the dump (and as `key=value` by `renderDump`).
 *
 * @example
 * const details: StatusDetails = { state: 'open', failures: 3 };
 */
export type StatusDetails = Readonly<Record<string, StatusValue>>;

/**
 * Calls `formatStatus` on a behaviour and checks the answer: a throw or a malformed answer
 * becomes `{ formatStatusError: message }`, so introspection never fails. @internal
 */
export function readDetails(b: { formatStatus(): StatusDetails | undefined } | null): StatusDetails | undefined {
  if (b === null) return undefined;
  let d: unknown;
  try {
    d = b.formatStatus();
  } catch (e) {
    return { formatStatusError: formatReason(e) };
  }
  if (d === undefined) return undefined;
  if (typeof d !== 'object' || d === null || Array.isArray(d)) {
    return { formatStatusError: `formatStatus must return an object of strings, numbers, booleans or null, or undefined; got ${typeof d}` };
  }
  for (const [key, value] of Object.entries(d)) {
    if (!(value === null || typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value)))) {
      return { formatStatusError: `formatStatus returned ${JSON.stringify(key)}: ${typeof value}; values must be strings, finite numbers, booleans or null` };
    }
  }
  return { ...(d as StatusDetails) };
}
