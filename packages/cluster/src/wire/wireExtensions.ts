import { addExtension } from 'msgpackr';
import { RemoteError } from '../errors/RemoteError.js';
import type { RefHooks } from './RefHooks.js';
import { NEGATIVE_ZERO, WireError, WireMap, WireMonitor, WireNegativeZero, WireRef } from './wireValues.js';

/**
 * msgpackr extensions are global to the module, so the hooks of the codec decoding right now
 * are kept here, set by `FrameCodec.decode` around each unpack and restored in `finally`
 * (re-entrant: a hook may decode with another codec). Internal.
 *
 * @example
 * const previous = enterDecoding(hooks); try { unpack(bytes) } finally { leaveDecoding(previous) }
 */
let decoding: RefHooks | null = null;

/** Makes `hooks` the ones extensions use; returns the previous ones for `leaveDecoding`. */
export function enterDecoding(hooks: RefHooks): RefHooks | null {
  const previous = decoding;
  decoding = hooks;
  return previous;
}

/** Restores the hooks `enterDecoding` replaced. */
export function leaveDecoding(previous: RefHooks | null): void {
  decoding = previous;
}

/** A malformed extension payload; FrameCodec turns it into a FrameDecodeError. */
export class BadFrame extends Error {}

function hooksNow(): RefHooks {
  if (decoding === null) throw new BadFrame('an Arbor wire value met outside FrameCodec.decode');
  return decoding;
}

function pair(data: unknown, what: string, second: 'string' | 'number'): [string, string & number] {
  if (!Array.isArray(data) || data.length !== 2 || typeof data[0] !== 'string' || typeof data[1] !== second) {
    throw new BadFrame(`a malformed ${what}`);
  }
  return data as [string, string & number];
}

/** Extension type bytes (msgpackr's own use 0x00-0x11 and letters). */
export const WIRE_TYPES = { map: 0x30, negativeZero: 0x31, ref: 0x32, monitor: 0x33, error: 0x34 } as const;

let registered = false;

/** Registers the wire values' extensions once per process. */
export function registerWireExtensions(): void {
  if (registered) return;
  registered = true;
  addExtension({
    Class: WireMap,
    type: WIRE_TYPES.map,
    write: (m: WireMap) => m.entries,
    read: (data: unknown) => {
      if (!Array.isArray(data) || data.length % 2 !== 0) throw new BadFrame('a malformed Map');
      const result = new Map<unknown, unknown>();
      for (let i = 0; i < data.length; i += 2) result.set(data[i], data[i + 1]);
      return result;
    },
  });
  addExtension({
    Class: WireNegativeZero,
    type: WIRE_TYPES.negativeZero,
    write: () => 0,
    read: (data: unknown) => {
      if (data !== 0) throw new BadFrame('a malformed -0');
      return -0;
    },
  });
  addExtension({
    Class: WireRef,
    type: WIRE_TYPES.ref,
    write: (ref: WireRef) => [ref.incarnation, ref.id],
    read: (data: unknown) => {
      const [incarnation, id] = pair(data, 'ref', 'string');
      return hooksNow().decodeRef(incarnation, id);
    },
  });
  addExtension({
    Class: WireMonitor,
    type: WIRE_TYPES.monitor,
    write: (m: WireMonitor) => [m.incarnation, m.id],
    read: (data: unknown) => {
      const [incarnation, id] = pair(data, 'MonitorRef', 'number');
      const hooks = hooksNow();
      if (hooks.decodeMonitor === undefined) throw new BadFrame('a MonitorRef, and this codec has no decodeMonitor hook');
      return hooks.decodeMonitor(incarnation, id);
    },
  });
  addExtension({
    Class: WireError,
    type: WIRE_TYPES.error,
    write: (e: WireError) => [e.links, e.tail],
    read: (data: unknown) => readError(data),
  });
  void NEGATIVE_ZERO;
}

const optionalString = (v: unknown): v is string | undefined => v === undefined || typeof v === 'string';

function readError(data: unknown): RemoteError {
  if (!Array.isArray(data) || data.length !== 2 || !Array.isArray(data[0]) || data[0].length === 0) throw new BadFrame('a malformed error');
  const links = data[0] as unknown[];
  let cause: unknown = data[1];
  for (let i = links.length - 1; i >= 0; i--) {
    const l = links[i];
    if (!Array.isArray(l) || l.length !== 4 || typeof l[0] !== 'string' || typeof l[1] !== 'string' || !optionalString(l[2]) || !optionalString(l[3])) {
      throw new BadFrame('a malformed error');
    }
    cause = new RemoteError({ remoteName: l[0], message: l[1], remoteStack: l[2], remoteCode: l[3], cause });
  }
  return cause as RemoteError;
}
