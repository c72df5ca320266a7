import type { Cell } from './Cell.js';

/**
 * A system's live cells as an intrusive doubly linked list in start order: O(1) add and
 * remove, no hashing, two fields per cell instead of a Map entry. @internal
 */
export class LiveCells {
  #first: Cell | null = null;
  #last: Cell | null = null;
  #count = 0;

  get size(): number {
    return this.#count;
  }

  add(cell: Cell): void {
    cell.prevLive = this.#last;
    if (this.#last === null) this.#first = cell;
    else this.#last.nextLive = cell;
    this.#last = cell;
    this.#count++;
  }

  remove(cell: Cell): void {
    const { prevLive, nextLive } = cell;
    if (prevLive === null) this.#first = nextLive;
    else prevLive.nextLive = nextLive;
    if (nextLive === null) this.#last = prevLive;
    else nextLive.prevLive = prevLive;
    cell.prevLive = cell.nextLive = null;
    this.#count--;
  }

  /** The live cell with this id (a scan: for debugging tools, not hot paths). */
  find(id: string): Cell | undefined {
    for (let c = this.#first; c !== null; c = c.nextLive) if (c.id === id) return c;
    return undefined;
  }

  toArray(): Cell[] {
    const out: Cell[] = [];
    for (let c = this.#first; c !== null; c = c.nextLive) out.push(c);
    return out;
  }
}
