import type { Cell } from '../kernel/index.js';
import { AlreadyNamedError, NameTakenError } from '../errors/errors.js';

/**
 * A system's local names (OTP's `register/2` table): one name per actor, one actor per
 * name, released when the actor exits. @internal
 *
 * @example
 * const names = new LocalNames();
 * names.register('counter', cell);
 * names.get('counter'); // cell
 */
export class LocalNames {
  readonly #byName = new Map<string, Cell>();

  /** The live actor holding `name`, or undefined. */
  get(name: string): Cell | undefined {
    return this.#byName.get(name);
  }

  /** Names `cell` (a live actor without a name); throws `NameTakenError` or `AlreadyNamedError`. */
  register(name: string, cell: Cell): void {
    const holder = this.#byName.get(name);
    if (holder !== undefined) throw new NameTakenError(name, holder);
    if (cell.name !== undefined) throw new AlreadyNamedError(cell, cell.name);
    this.claim(name, cell);
  }

  /** Names a cell being started (the caller checked the name is free). */
  claim(name: string, cell: Cell): void {
    cell.name = name;
    this.#byName.set(name, cell);
  }

  /** Releases `name`; false if nobody held it. */
  unregister(name: string): boolean {
    const holder = this.#byName.get(name);
    if (holder === undefined) return false;
    this.#byName.delete(name);
    holder.name = undefined;
    return true;
  }

  /** An actor exited: release its name if it still holds one. */
  release(cell: Cell): void {
    if (cell.name !== undefined && this.#byName.get(cell.name) === cell) this.#byName.delete(cell.name);
  }

  /** Every registered name. */
  names(): string[] {
    return [...this.#byName.keys()];
  }
}
