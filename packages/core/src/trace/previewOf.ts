import { InvalidOptionError } from '../errors/errors.js';
import { isCell } from '../kernel/index.js';
import { checkOptions } from '../validation/options.js';

/** Limits of {@link previewOf}. */
export interface PreviewLimits {
  /** The most characters returned (default 200; longer previews end with `…`). */
  readonly maxLength?: number;
  /** How many levels of objects and arrays are opened (default 3; deeper ones show as `{…}` / `[…]`). */
  readonly maxDepth?: number;
}

/** Entries shown per object, array, Map or Set before `…`. */
const MAX_ENTRIES = 10;

/**
 * A short, size-capped text of any value, for traces and logs: depth and length capped,
 * and it never throws on the value and never runs user code (bad `limits` throw
 * `InvalidOptionError`). Cycles show as `[Circular]`, getters as
 * `[Getter]` (they are not called), BigInts as `12n`, actor refs as `ActorRef<...>`, and
 * an object whose keys cannot be read (a revoked Proxy) as `[Unreadable]`.
 *
 * @example
 * previewOf({ type: 'inc', by: 1 });      // "{ type: 'inc', by: 1 }"
 * previewOf('x'.repeat(1e6)).length;      // 200
 * previewOf(10n ** 30n);                  // '1000000000000000000000000000000n'
 */
export function previewOf(value: unknown, limits?: PreviewLimits): string {
  checkOptions('previewOf: limits', limits, '{ maxLength?, maxDepth? }');
  const maxLength = positiveOr('maxLength', limits?.maxLength, 200);
  const maxDepth = positiveOr('maxDepth', limits?.maxDepth, 3);
  const out = new Writer(maxLength);
  try {
    write(out, value, maxDepth, new Set());
  } catch {
    out.push('[Unreadable]');
  }
  return out.text();
}

function positiveOr(key: string, n: unknown, fallback: number): number {
  if (n === undefined) return fallback;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) throw new InvalidOptionError(`previewOf: limits.${key}`, 'a positive integer or undefined', n);
  return n;
}

/** Collects text up to a length, then stops taking more. */
class Writer {
  #parts: string[] = [];
  #length = 0;
  constructor(readonly maxLength: number) {}
  get full(): boolean {
    return this.#length > this.maxLength;
  }
  push(s: string): void {
    if (this.full) return;
    this.#parts.push(s);
    this.#length += s.length;
  }
  text(): string {
    const t = this.#parts.join('');
    return t.length > this.maxLength ? `${t.slice(0, this.maxLength - 1)}…` : t;
  }
}

function write(out: Writer, v: unknown, depth: number, seen: Set<object>): void {
  if (out.full) return;
  switch (typeof v) {
    case 'string':
      out.push(quote(v, out.maxLength));
      return;
    case 'number':
    case 'boolean':
    case 'undefined':
      out.push(String(v));
      return;
    case 'bigint':
      out.push(`${v.toString()}n`);
      return;
    case 'symbol':
      out.push(v.toString());
      return;
    case 'function':
      out.push(`[Function ${safeName(v) || '(anonymous)'}]`);
      return;
  }
  if (v === null) {
    out.push('null');
    return;
  }
  const o = v as object;
  if (seen.has(o)) {
    out.push('[Circular]');
    return;
  }
  try {
    // instanceof runs a Proxy's getPrototypeOf trap, which may throw (a revoked Proxy does).
    if (isCell(o)) {
      out.push(o.toString());
      return;
    }
    if (o instanceof Date) {
      const t = Date.prototype.getTime.call(o);
      out.push(Number.isNaN(t) ? 'Invalid Date' : new Date(t).toISOString());
      return;
    }
    if (o instanceof Error) {
      const d = Object.getOwnPropertyDescriptor(o, 'message');
      out.push(`${safeName(o.constructor) || 'Error'}: ${d !== undefined && typeof d.value === 'string' ? d.value : ''}`);
      return;
    }
  } catch {
    out.push('[Unreadable]');
    return;
  }
  seen.add(o);
  try {
    writeObject(out, o, depth, seen);
  } finally {
    seen.delete(o);
  }
}

function writeObject(out: Writer, o: object, depth: number, seen: Set<object>): void {
  let isArray: boolean;
  try {
    isArray = Array.isArray(o);
  } catch {
    out.push('[Unreadable]');
    return;
  }
  if (isArray) {
    writeArray(out, o as unknown[], depth, seen);
    return;
  }
  let keys: (string | symbol)[];
  try {
    keys = Reflect.ownKeys(o);
  } catch {
    out.push('[Unreadable]');
    return;
  }
  const prefix = prefixOf(o);
  if (depth === 0) {
    out.push(`${prefix}{…}`);
    return;
  }
  out.push(`${prefix}{`);
  let shown = 0;
  for (let i = 0; i < keys.length; i++) {
    if (shown === MAX_ENTRIES || out.full) {
      // Not opened: counted as they are (non-enumerable ones included), to stay cheap on huge objects.
      out.push(`, … ${keys.length - i} more`);
      break;
    }
    const key = keys[i]!;
    const d = descriptorOf(o, key);
    if (d === undefined || !d.enumerable) continue;
    out.push(shown === 0 ? ' ' : ', ');
    out.push(`${keyText(key)}: `);
    writeSlot(out, d, depth, seen);
    shown++;
  }
  out.push(shown === 0 ? '}' : ' }');
}

/** An array: its first entries by index (holes show as undefined), then how many more. */
function writeArray(out: Writer, a: unknown[], depth: number, seen: Set<object>): void {
  const d = descriptorOf(a, 'length');
  const length = d !== undefined && typeof d.value === 'number' ? d.value : 0;
  if (depth === 0) {
    out.push('[…]');
    return;
  }
  out.push('[');
  const shown = Math.min(length, MAX_ENTRIES);
  for (let i = 0; i < shown && !out.full; i++) {
    out.push(i === 0 ? ' ' : ', ');
    const slot = descriptorOf(a, String(i));
    if (slot === undefined) out.push('undefined');
    else writeSlot(out, slot, depth, seen);
  }
  if (length > shown) out.push(`, … ${length - shown} more`);
  out.push(shown === 0 ? ']' : ' ]');
}

function writeSlot(out: Writer, d: PropertyDescriptor, depth: number, seen: Set<object>): void {
  if ('value' in d) write(out, d.value, depth - 1, seen);
  else out.push('[Getter]');
}

function descriptorOf(o: object, key: string | symbol): PropertyDescriptor | undefined {
  try {
    return Reflect.getOwnPropertyDescriptor(o, key);
  } catch {
    return undefined;
  }
}

function prefixOf(o: object): string {
  let proto: object | null;
  try {
    proto = Object.getPrototypeOf(o) as object | null;
  } catch {
    return '';
  }
  if (proto === null) return '[null prototype] ';
  if (proto === Object.prototype) return '';
  if (o instanceof Map) return `Map(${sizeOf(o)}) `;
  if (o instanceof Set) return `Set(${sizeOf(o)}) `;
  let name = '';
  try {
    const d = Object.getOwnPropertyDescriptor(proto, 'constructor');
    name = d !== undefined && typeof d.value === 'function' ? safeName(d.value) : '';
  } catch {
    name = '';
  }
  return name === '' || name === 'Object' ? '' : `${name} `;
}

function sizeOf(o: Map<unknown, unknown> | Set<unknown>): string {
  try {
    const get = Object.getOwnPropertyDescriptor(o instanceof Map ? Map.prototype : Set.prototype, 'size')!.get!;
    return String(get.call(o));
  } catch {
    return '?';
  }
}

function safeName(f: unknown): string {
  try {
    const d = Object.getOwnPropertyDescriptor(f as object, 'name');
    return d !== undefined && typeof d.value === 'string' ? d.value : '';
  } catch {
    return '';
  }
}

function keyText(key: string | symbol): string {
  if (typeof key === 'symbol') return `[${key.toString()}]`;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? key : quote(key, 60);
}

function quote(s: string, max: number): string {
  const cut = s.length > max ? `${s.slice(0, max)}…` : s;
  return `'${cut.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
}
