/** `packPlain`'s answer when the value is not plain data: encode it the general way (toWire, then msgpackr). */
export const NOT_PLAIN = -1;
/** `packPlain`'s answer when `target` has no room left: grow it and pack again. */
export const NO_ROOM = -2;

/** Deeper than this, the value goes the general way (which names a cycle). */
const MAX_PLAIN_DEPTH = 64;

/**
 * The fast path of the frame encoder for plain data: writes `value` at `target[at]` as msgpack
 * that msgpackr reads back as the same value (so either decoder reads it) and returns where
 * it ends, when it is made only of ASCII strings, booleans, null, integers of 32 bits (no -0),
 * other numbers but NaN (float64, as msgpackr), arrays and plain objects (`constructor === Object`, fewer
 * than 16 own enumerable string keys, none `__proto__`). Anything else (a ref, a Date, undefined, a non-ASCII string...)
 * returns `NOT_PLAIN` with nothing promised about `target`, and `NO_ROOM` when the bytes do not
 * fit before `target.length`. An object's header is a fixmap (msgpackr writes
 * map16); msgpackr reads both alike. One pass, no allocation. Internal to the codec.
 *
 * @example
 * const end = packPlain([CAST, 7, { type: 'add', by: 1 }], bytes, 0); // bytes.subarray(0, end)
 */
export function packPlain(value: unknown, target: Uint8Array, at: number): number {
  return pack(value, target, at, 0);
}

function pack(value: unknown, target: Uint8Array, at: number, depth: number): number {
  switch (typeof value) {
    case 'string':
      return packString(value, target, at);
    case 'number':
      return packNumber(value, target, at);
    case 'boolean':
      if (at >= target.length) return NO_ROOM;
      target[at] = value ? 0xc3 : 0xc2;
      return at + 1;
    case 'object':
      break;
    default:
      return NOT_PLAIN;
  }
  if (value === null) {
    if (at >= target.length) return NO_ROOM;
    target[at] = 0xc0;
    return at + 1;
  }
  if (depth >= MAX_PLAIN_DEPTH) return NOT_PLAIN;
  const ctor = (value as object).constructor;
  if (ctor === Array) return packArray(value as readonly unknown[], target, at, depth);
  if (ctor === Object) return packObject(value as Record<string, unknown>, target, at, depth);
  return NOT_PLAIN;
}

function packArray(items: readonly unknown[], target: Uint8Array, at: number, depth: number): number {
  const length = items.length;
  let pos = packArrayHeader(length, target, at);
  for (let i = 0; i < length && pos >= 0; i++) pos = pack(items[i], target, pos, depth + 1);
  return pos;
}

function packObject(object: Record<string, unknown>, target: Uint8Array, at: number, depth: number): number {
  // One pass: a fixmap header, its count written at the end (16 keys or more go the general way).
  if (at >= target.length) return NO_ROOM;
  let pos = at + 1;
  let count = 0;
  for (const key in object) {
    if (!Object.hasOwn(object, key)) continue;
    if (key === '__proto__' || ++count === 16) return NOT_PLAIN;
    pos = packString(key, target, pos);
    if (pos >= 0) pos = pack(object[key], target, pos, depth + 1);
    if (pos < 0) return pos;
  }
  target[at] = 0x80 | count;
  return pos;
}

/** An array header (0x90/0xdc/0xdd) of `count` items. */
function packArrayHeader(count: number, target: Uint8Array, at: number): number {
  if (at + 5 > target.length) return NO_ROOM;
  if (count < 16) {
    target[at] = 0x90 | count;
    return at + 1;
  }
  if (count < 0x10000) {
    target[at] = 0xdc;
    target[at + 1] = count >> 8;
    target[at + 2] = count & 0xff;
    return at + 3;
  }
  target[at] = 0xdd;
  writeUint32(target, at + 1, count);
  return at + 5;
}

/** Native UTF-8 writing, for strings long enough to pay for the call (it is ASCII when bytes = characters). */
const utf8Write = (Buffer.prototype as unknown as { utf8Write: (this: Uint8Array, text: string, offset: number, length: number) => number }).utf8Write;
const NATIVE_FROM = 16;

function packString(value: string, target: Uint8Array, at: number): number {
  const length = value.length;
  const header = length < 0x20 ? 1 : length < 0x100 ? 2 : length < 0x10000 ? 3 : 5;
  let pos = at + header;
  if (length < NATIVE_FROM) {
    if (pos + length > target.length) return NO_ROOM;
    for (let i = 0; i < length; i++) {
      const c = value.charCodeAt(i);
      if (c >= 0x80) return NOT_PLAIN; // UTF-8: the general way
      target[pos++] = c;
    }
  } else {
    if (pos + 3 * length > target.length) return NO_ROOM; // room for any UTF-8 of it
    if (utf8Write.call(target, value, pos, 3 * length) !== length) return NOT_PLAIN;
    pos += length;
  }
  if (header === 1) target[at] = 0xa0 | length;
  else if (header === 2) {
    target[at] = 0xd9;
    target[at + 1] = length;
  } else if (header === 3) {
    target[at] = 0xda;
    target[at + 1] = length >> 8;
    target[at + 2] = length & 0xff;
  } else {
    target[at] = 0xdb;
    writeUint32(target, at + 1, length);
  }
  return pos;
}

const float64 = new Float64Array(1);
const float64Bytes = new Uint8Array(float64.buffer);
const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function packNumber(value: number, target: Uint8Array, at: number): number {
  if (at + 9 > target.length) return NO_ROOM;
  if (value === 0 && 1 / value < 0) return NOT_PLAIN; // -0: its own extension
  if (value >>> 0 === value) {
    if (value < 0x80) {
      target[at] = value;
      return at + 1;
    }
    if (value < 0x100) {
      target[at] = 0xcc;
      target[at + 1] = value;
      return at + 2;
    }
    if (value < 0x10000) {
      target[at] = 0xcd;
      target[at + 1] = value >> 8;
      target[at + 2] = value & 0xff;
      return at + 3;
    }
    target[at] = 0xce;
    writeUint32(target, at + 1, value);
    return at + 5;
  }
  if (value >> 0 === value) {
    if (value >= -0x20) {
      target[at] = value & 0xff;
      return at + 1;
    }
    if (value >= -0x80) {
      target[at] = 0xd0;
      target[at + 1] = value & 0xff;
      return at + 2;
    }
    if (value >= -0x8000) {
      target[at] = 0xd1;
      target[at + 1] = (value >> 8) & 0xff;
      target[at + 2] = value & 0xff;
      return at + 3;
    }
    target[at] = 0xd2;
    writeUint32(target, at + 1, value >>> 0);
    return at + 5;
  }
  if (value !== value) return NOT_PLAIN; // NaN: msgpackr writes it
  float64[0] = value;
  target[at] = 0xcb;
  if (littleEndian) for (let i = 0; i < 8; i++) target[at + 1 + i] = float64Bytes[7 - i]!;
  else for (let i = 0; i < 8; i++) target[at + 1 + i] = float64Bytes[i]!;
  return at + 9;
}

function writeUint32(target: Uint8Array, at: number, value: number): void {
  target[at] = value >>> 24;
  target[at + 1] = (value >>> 16) & 0xff;
  target[at + 2] = (value >>> 8) & 0xff;
  target[at + 3] = value & 0xff;
}
