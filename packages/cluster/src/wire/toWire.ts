import { isActorRef, MonitorRef } from '@arbor/core';
import { RemoteError } from '../errors/RemoteError.js';
import type { RefHooks } from './RefHooks.js';
import { keyStep, through, Unfit } from './unfit.js';
import { NEGATIVE_ZERO, WireError, WireMap, WireMonitor, WireRef, type WireErrorLink } from './wireValues.js';

/** Deeper than this, a value is taken for a cycle (FrameCodec then looks for one to name it). */
export const MAX_DEPTH = 256;
/** Causes kept per error; a longer (or cyclic) chain is cut there. */
export const MAX_CAUSES = 16;

const FIX_PLAIN = 'send plain data (objects, arrays, Map, Set, Date, typed arrays, refs)';

/**
 * One pass over a message before msgpackr packs it: returns the value itself when nothing needs
 * replacing (no copy on the common path), else a copy with Maps, -0, errors, refs and monitors
 * replaced by wire values; throws `Unfit` (with the path) for what cannot cross. Internal.
 *
 * @example
 * toWire({ at: new Map([[1, 'a']]) }, hooks, 0) // { at: WireMap { entries: [1, 'a'] } }
 */
export function toWire(value: unknown, hooks: RefHooks, depth: number): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
    case 'undefined':
    case 'bigint':
      return value;
    case 'number':
      return value === 0 && 1 / value < 0 ? NEGATIVE_ZERO : value;
    case 'function':
      throw new Unfit('a function cannot cross nodes; send data (a `type` field) and let the receiver choose the code');
    case 'symbol':
      throw new Unfit('a symbol cannot cross nodes; use a string');
  }
  if (value === null) return null;
  if (depth > MAX_DEPTH) throw new Unfit(`nested deeper than ${MAX_DEPTH} levels`);
  const object = value as object;
  const ctor = object.constructor;
  if (ctor === Object) return plainObject(object as Record<string, unknown>, hooks, depth);
  if (ctor === Array) return array(object as unknown[], hooks, depth);
  return special(object, hooks, depth);
}

/** A value msgpackr keeps as is: checked inline in the loops, the common case of a message. */
function isPlainScalar(value: unknown): boolean {
  const type = typeof value;
  return type === 'string' || type === 'boolean' || type === 'undefined' || (type === 'number' && value !== 0) || value === null;
}

function plainObject(object: Record<string, unknown>, hooks: RefHooks, depth: number): object {
  let copy: Record<string, unknown> | undefined;
  for (const key in object) {
    if (!Object.hasOwn(object, key)) continue;
    const item = object[key];
    if (isPlainScalar(item)) continue;
    let wire: unknown;
    try {
      wire = toWire(item, hooks, depth + 1);
    } catch (e) {
      throw through(e, keyStep(key));
    }
    if (wire !== item && copy === undefined) copy = { ...object };
    if (copy !== undefined) Object.defineProperty(copy, key, { value: wire, enumerable: true, writable: true, configurable: true });
  }
  return copy ?? object;
}

function array(items: readonly unknown[], hooks: RefHooks, depth: number): readonly unknown[] {
  let copy: unknown[] | undefined;
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (isPlainScalar(item)) continue;
    let wire: unknown;
    try {
      wire = toWire(item, hooks, depth + 1);
    } catch (e) {
      throw through(e, `[${i}]`);
    }
    if (wire !== item && copy === undefined) copy = items.slice();
    if (copy !== undefined) copy[i] = wire;
  }
  return copy ?? items;
}

function special(object: object, hooks: RefHooks, depth: number): unknown {
  if (object instanceof Date || object instanceof RegExp || object instanceof ArrayBuffer || ArrayBuffer.isView(object)) return object;
  if (Array.isArray(object)) return array(object, hooks, depth);
  const proto: unknown = Object.getPrototypeOf(object);
  if (proto === null || proto === Object.prototype) return plainObject({ ...(object as Record<string, unknown>) }, hooks, depth);
  if (object instanceof Map) return map(object, hooks, depth);
  if (object instanceof Set) return set(object, hooks, depth);
  if (object instanceof Error) return errorToWire(object, hooks, depth);
  for (const refClass of hooks.refClasses) {
    if (object instanceof refClass) {
      const [incarnation, id] = hooks.encodeRef(object);
      return new WireRef(incarnation, id);
    }
  }
  if (object instanceof MonitorRef) {
    if (hooks.encodeMonitor === undefined) throw new Unfit('a MonitorRef cannot cross with this codec (its hooks have no encodeMonitor)');
    const [incarnation, id] = hooks.encodeMonitor(object);
    return new WireMonitor(incarnation, id);
  }
  if (isActorRef(object)) {
    throw new Unfit(`an actor ref (${object.constructor.name}) that this codec's refClasses do not include cannot cross nodes; send refs through a node of the cluster, whose codec knows its ref classes`);
  }
  if (object instanceof Promise) throw new Unfit('a Promise cannot cross nodes; await it and send the result');
  if (object instanceof WeakMap || object instanceof WeakSet || object instanceof WeakRef) {
    throw new Unfit(`a ${(object.constructor as { name: string }).name} cannot cross nodes; send a Map, a Set or ids`);
  }
  const toJSON = (object as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return toWire(toJSON.call(object), hooks, depth + 1);
  const name = typeof object.constructor === 'function' && object.constructor.name !== '' ? object.constructor.name : 'an anonymous class';
  throw new Unfit(`an instance of ${name} cannot cross nodes (only its data could, and its class would be lost); ${FIX_PLAIN}, e.g. { ...value }, or give the class a toJSON()`);
}

function map(source: ReadonlyMap<unknown, unknown>, hooks: RefHooks, depth: number): WireMap {
  const entries: unknown[] = [];
  let i = 0;
  for (const [key, item] of source) {
    try {
      entries.push(toWire(key, hooks, depth + 1));
    } catch (e) {
      throw through(e, `.keys()[${i}]`);
    }
    try {
      entries.push(toWire(item, hooks, depth + 1));
    } catch (e) {
      throw through(e, typeof key === 'string' || typeof key === 'number' ? `.get(${JSON.stringify(key)})` : `.values()[${i}]`);
    }
    i++;
  }
  return new WireMap(entries);
}

function set(source: ReadonlySet<unknown>, hooks: RefHooks, depth: number): ReadonlySet<unknown> {
  let changed = false;
  const items: unknown[] = [];
  let i = 0;
  for (const item of source) {
    let wire: unknown;
    try {
      wire = toWire(item, hooks, depth + 1);
    } catch (e) {
      throw through(e, `.values()[${i}]`);
    }
    if (wire !== item) changed = true;
    items.push(wire);
    i++;
  }
  return changed || source.constructor !== Set ? new Set(items) : source;
}

/** An error and its causes (cut at MAX_CAUSES or at a cycle); a non-Error cause that cannot cross becomes its description. */
function errorToWire(error: Error, hooks: RefHooks, depth: number): WireError {
  const links: WireErrorLink[] = [];
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current instanceof Error && links.length < MAX_CAUSES && !seen.has(current)) {
    seen.add(current);
    links.push(link(current));
    current = (current as { cause?: unknown }).cause;
  }
  let tail: unknown;
  if (current !== undefined && !(current instanceof Error)) {
    try {
      tail = toWire(current, hooks, depth + 1);
    } catch (e) {
      if (!(e instanceof Unfit)) throw e;
      tail = `(a cause that cannot cross: ${e.problem.split(';')[0]})`;
    }
  }
  return new WireError(links, tail);
}

function link(error: Error): WireErrorLink {
  if (error instanceof RemoteError) return [error.remoteName, error.message, error.remoteStack, error.remoteCode];
  const code: unknown = (error as { code?: unknown }).code;
  return [
    String(error.name),
    String(error.message),
    typeof error.stack === 'string' ? error.stack : undefined,
    typeof code === 'string' ? code : typeof code === 'number' ? String(code) : undefined,
  ];
}
