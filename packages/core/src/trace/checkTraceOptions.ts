import { InvalidOptionError } from '../errors/errors.js';
import { checkFunction } from '../validation/function.js';
import { checkKnownKeys } from '../validation/knownKeys.js';
import { checkOptions } from '../validation/options.js';
import type { CheckedTraceOptions } from './Trace.js';
import { TRACE_EVENT_KINDS, type TraceEventKind, type Tracer } from './TraceEvent.js';

/**
 * Options of `system.trace(ref, options)`.
 *
 * @example
 * const options: TraceOptions = { tracer: (e) => console.log(e), max: 100, ratePerSec: 50, kinds: ['received', 'handled'] };
 */
export interface TraceOptions {
  /** Told of each event, synchronously; a throw ends the trace (`tracer_error`). */
  readonly tracer: Tracer;
  /** The trace ends (`max`) once it delivered this many events: an integer from 1 to 1,000,000 (default 1000). */
  readonly max?: number;
  /** More events than this within one second end the trace (`rate`): a positive integer (default: no rate limit). */
  readonly ratePerSec?: number;
  /** The event kinds to deliver (default all); the others are neither delivered nor counted. */
  readonly kinds?: readonly TraceEventKind[];
}

/** The most events a trace may be asked for. */
export const MAX_TRACE_EVENTS = 1_000_000;

const KNOWN = ['tracer', 'max', 'ratePerSec', 'kinds'] as const;

/**
 * Checks `system.trace`'s options, naming the bad option in an `InvalidOptionError`. @internal
 *
 * @example
 * checkTraceOptions({ tracer, max: 0 }); // throws: trace: options.max must be an integer from 1 to 1000000, got: 0
 */
export function checkTraceOptions(options: TraceOptions): CheckedTraceOptions {
  if (checkOptions('trace: options', options as TraceOptions | undefined, '{ tracer, max?, ratePerSec?, kinds? }') === undefined) {
    throw new InvalidOptionError('trace: options', 'an object { tracer, max?, ratePerSec?, kinds? } (or false to stop the trace)', options);
  }
  checkKnownKeys('trace', options, KNOWN);
  const tracer = checkFunction('trace: options.tracer', options.tracer, 'a function (event) => void');
  const max = options.max ?? 1000;
  if (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > MAX_TRACE_EVENTS) {
    throw new InvalidOptionError('trace: options.max', `an integer from 1 to ${MAX_TRACE_EVENTS}`, options.max);
  }
  const rate = options.ratePerSec;
  if (rate !== undefined && (typeof rate !== 'number' || !Number.isInteger(rate) || rate < 1)) {
    throw new InvalidOptionError('trace: options.ratePerSec', 'a positive integer (events per second) or undefined', rate);
  }
  const kinds = options.kinds;
  if (kinds !== undefined) {
    if (!Array.isArray(kinds) || kinds.length === 0 || !kinds.every((k) => (TRACE_EVENT_KINDS as readonly unknown[]).includes(k))) {
      throw new InvalidOptionError('trace: options.kinds', `a non-empty array of ${TRACE_EVENT_KINDS.join(', ')}`, kinds);
    }
  }
  return { tracer, max, ratePerSec: rate, kinds: kinds === undefined ? undefined : Object.freeze([...kinds]) };
}
