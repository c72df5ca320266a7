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

/**
 * Names an actor for error messages: `counter (Counter#V1StGX)` when it has a local name,
 * else `Counter#V1StGX`; a plain string (a name) is quoted. @internal
 *
 * @example
 * `call to ${refLabel(ref)} got no reply` // call to counter (Counter#V1StGX) got no reply
 */
export function refLabel(ref: unknown): string {
  if (typeof ref === 'string') return JSON.stringify(ref);
  if (typeof ref !== 'object' || ref === null) return describe(ref);
  const { id, kind, name } = ref as { id?: unknown; kind?: unknown; name?: unknown };
  const who = `${typeof kind === 'string' ? kind : 'actor'}#${String(id)}`;
  return typeof name === 'string' ? `${name} (${who})` : who;
}

/**
 * Keeps the ref-valued properties of an error readable but out of its printed form: Node
 * prints an uncaught error's own enumerable properties without custom inspection, and a
 * ref is the whole actor (its system, its logger, its neighbours). @internal
 *
 * @example
 * hideRefs(this, 'actor');
 */
export function hideRefs(error: Error, ...keys: string[]): void {
  for (const key of keys) {
    const d = Object.getOwnPropertyDescriptor(error, key);
    if (d !== undefined) Object.defineProperty(error, key, { ...d, enumerable: false });
  }
}
