import type { AnyBehaviour } from './Behaviour.js';
import type { Cell } from '../kernel/index.js';

/**
 * Ties a behaviour instance to its cell. `Behaviour` installs the one function that can
 * write its `#cell`, so the start protocol ties them without importing the class. @internal
 *
 * @example
 * attach(instance, cell); // instance.self === cell from here on
 */
let attacher: ((b: AnyBehaviour, cell: Cell) => void) | undefined;

/** Installs the attacher (called once, by `Behaviour`'s static block). @internal */
export function setAttacher(fn: (b: AnyBehaviour, cell: Cell) => void): void {
  attacher = fn;
}

/** Ties `b` to `cell`. @internal */
export function attach(b: AnyBehaviour, cell: Cell): void {
  attacher!(b, cell);
}
