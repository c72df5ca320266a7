import { isCell } from '../kernel/index.js';

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
 * and it never throws and never runs user code. Cycles show as `[Circular]`, getters as
 * `[Getter]` (they are not called), BigInts as `12n`, actor refs as `ActorRef<...>`, and
 * an object whose keys cannot be read (a revoked Proxy) as `[Unreadable]`.
 *
 * @example
 * previewOf({ type: 'inc', by: 1 });      // "{ type: 'inc', by: 1 }"
 * previewOf('x'.repeat(1e6)).length;      // 200
 * previewOf(10n ** 30n);                  // '1000000000000000000000000000000n'
 */
export function previewOf(value: unknown, limits?: PreviewLimits): string {
  const maxLength = positiveOr(limits?.maxLength, 200);
  const maxDepth = positiveOr(limits?.maxDepth, 3);
  const out = new Writer(maxLength);
  try {
    write(out, value, maxDepth, new Set());
  } catch {
    out.push('[Unreadable]');
  }
  return out.text();
}

function positiveOr(n: number | undefined, fallback: number): number {
  return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : fallback;
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
  if (isCell(o)) {
    out.push(o.toString());
    return;
  }
  if (seen.has(o)) {
    out.push('[Circular]');
    return;
  }
  try {
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
  let keys: (string | symbol)[];
  let isArray: boolean;
  try {
    isArray = Array.isArray(o);
    keys = Reflect.ownKeys(o);
  } catch {
    out.push('[Unreadable]');
    return;
  }
  const prefix = isArray ? '' : prefixOf(o);
  if (depth === 0) {
    out.push(isArray ? '[…]' : `${prefix}{…}`);
    return;
  }
  out.push(isArray ? '[' : `${prefix}{`);
  let shown = 0;
  let total = 0;
  for (const key of keys) {
    let d: PropertyDescriptor | undefined;
    try {
      d = Reflect.getOwnPropertyDescriptor(o, key);
    } catch {
      d = undefined;
    }
    if (d === undefined || !d.enumerable) continue;
    if (isArray && key === 'length') continue;
    total++;
    if (shown === MAX_ENTRIES || out.full) continue;
    out.push(shown === 0 ? ' ' : ', ');
    if (!isArray || typeof key !== 'string' || !/^\d+$/.test(key)) out.push(`${keyText(key)}: `);
    if ('value' in d) write(out, d.value, depth - 1, seen);
    else out.push('[Getter]');
    shown++;
  }
  if (total > shown) out.push(`, … ${total - shown} more`);
  out.push(shown === 0 ? (isArray ? ']' : '}') : isArray ? ' ]' : ' }');
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
