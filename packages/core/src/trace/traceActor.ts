import { NoProcError } from '../errors/errors.js';
import { hostOf, isDead, sinkOf } from '../kernel/index.js';
import { asCell } from '../validation/ref.js';
import { checkTraceOptions, type TraceOptions } from './checkTraceOptions.js';
import { Trace } from './Trace.js';

/**
 * `system.trace(ref, options)`: starts a trace on a live actor (a dead one throws
 * `NoProcError`), ending the one it had with `replaced`. `system.trace(ref, false)` ends the
 * actor's trace (`stopped`) and returns whether there was one. @internal
 *
 * @example
 * const t = traceActor(ref, { tracer: console.log });
 * traceActor(ref, false); // true
 */
export function traceActor(ref: unknown, options: TraceOptions | false): Trace | boolean {
  const cell = asCell('trace', ref);
  if (options === false) {
    const sink = sinkOf(cell);
    if (sink === null) return false;
    sink.end('stopped');
    return true;
  }
  const checked = checkTraceOptions(options);
  if (isDead(cell)) throw new NoProcError(cell, 'trace');
  return new Trace(cell, hostOf(cell), checked);
}
