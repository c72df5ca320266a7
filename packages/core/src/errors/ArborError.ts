/**
 * Base class of every error Arbor throws or rejects with. Each subclass has a
 * literal `code`, so callers can tell errors apart without `instanceof`.
 *
 * @example
 * try { await call(ref, { type: 'get' }) }
 * catch (e) { if (e instanceof ArborError && e.code === 'noproc') retry() }
 */
export abstract class ArborError extends Error {
  abstract readonly code: string;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Describes a value for error messages: `got: 5 (number)`. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'function') return `function ${value.name || '(anonymous)'}`;
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'object') {
    const ctor = (value as object).constructor?.name;
    return ctor && ctor !== 'Object' ? `an instance of ${ctor}` : 'an object';
  }
  return `${String(value)} (${typeof value})`;
}
