/**
 * The values `toWire` puts in place of what msgpackr cannot carry by itself; each has its own
 * msgpackr extension (wireExtensions.ts). Internal to the codec.
 */

/** A `Map` (msgpackr with `useRecords: false` writes Maps and objects alike): flat [k1, v1, k2, v2...]. */
export class WireMap {
  constructor(readonly entries: unknown[]) {}
}

/** `-0` (msgpack integers have no sign of zero). */
export class WireNegativeZero {}
export const NEGATIVE_ZERO = new WireNegativeZero();

/** An actor ref, as its node exported it. */
export class WireRef {
  constructor(readonly incarnation: string, readonly id: string) {}
}

/** A `MonitorRef`, as its node exported it. */
export class WireMonitor {
  constructor(readonly incarnation: string, readonly id: number) {}
}

/** One error of a cause chain: [name, message, stack, code]. */
export type WireErrorLink = [string, string, string | undefined, string | undefined];

/** An error and its causes, outermost first; `tail` is a cause that is not an Error. */
export class WireError {
  constructor(readonly links: WireErrorLink[], readonly tail: unknown) {}
}
