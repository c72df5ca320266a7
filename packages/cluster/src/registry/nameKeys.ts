/**
 * How a registry name becomes a KV key and back: `name.<token>`, the token being the name
 * itself when it is made of letters, digits, `_` and `-`, else `=` and its UTF-8 in base64url
 * (KV keys allow few characters; the `=` keeps the two forms apart). @internal
 *
 * @example
 * nameKey('cart-1'); // 'name.cart-1'
 * nameKey('cart:u42'); // 'name.=Y2FydDp1NDI'
 * nameOfKey('name.=Y2FydDp1NDI'); // 'cart:u42'
 */
const PREFIX = 'name.';
const PLAIN = /^[A-Za-z0-9_-]+$/;

export function nameKey(name: string): string {
  return PREFIX + (PLAIN.test(name) ? name : '=' + Buffer.from(name, 'utf8').toString('base64url'));
}

/** The name a KV key stands for, or undefined for a key that is not a registry name. */
export function nameOfKey(key: string): string | undefined {
  if (!key.startsWith(PREFIX)) return undefined;
  const token = key.slice(PREFIX.length);
  return token.startsWith('=') ? Buffer.from(token.slice(1), 'base64url').toString('utf8') : token;
}

/** A name's KV value: who holds it, as the holder's node incarnation and actor id (JSON). */
export interface NameValue {
  readonly node: string;
  readonly id: string;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encodeNameValue(value: NameValue): Uint8Array {
  return encoder.encode(JSON.stringify({ node: value.node, id: value.id }));
}

/** The holder in a KV value, or undefined for bytes that are not one (written by something else). */
export function decodeNameValue(bytes: Uint8Array): NameValue | undefined {
  try {
    const v = JSON.parse(decoder.decode(bytes)) as Partial<NameValue> | null;
    return typeof v?.node === 'string' && typeof v.id === 'string' && v.node.includes('~') ? { node: v.node, id: v.id } : undefined;
  } catch {
    return undefined;
  }
}
