import type { Key } from '../keys/Key.js';
import type { Traversal } from './Store.js';
import type { TableState } from './TableState.js';

/**
 * Where a limited select stopped: pass it to `table.selectContinue` for the next page.
 * It continues the same live traversal (see docs/ets.md, "Traversal"), so it is good
 * for one call: the page it returns carries the next continuation.
 *
 * @example
 * let page = table.selectPage((k, v) => v > 10, 100);
 * while (page.continuation) page = table.selectContinue(page.continuation);
 */
export class SelectContinuation<R> {
  /** @internal */
  used = false;
  /** @internal */
  constructor(
    readonly state: TableState<any, any>,
    readonly walk: Traversal<Key, unknown>,
    readonly where: ((key: any, value: any) => boolean) | undefined,
    readonly map: (key: any, value: any) => R,
    readonly limit: number,
  ) {}
}

/**
 * One page of a limited select: at most `limit` results and, unless the table was
 * exhausted, where to go on.
 *
 * @example
 * const { results, continuation } = table.selectPage(undefined, 100);
 */
export interface SelectPage<R> {
  readonly results: R[];
  readonly continuation: SelectContinuation<R> | null;
}

/** Runs a continuation up to its limit. @internal */
export function runPage<R>(c: SelectContinuation<R>): SelectPage<R> {
  c.used = true;
  const results: R[] = [];
  const { walk, where, map, limit } = c;
  for (;;) {
    const e = walk.next();
    if (e === undefined) return { results, continuation: null };
    if (where === undefined || where(e[0], e[1])) {
      results.push(map(e[0], e[1]));
      if (results.length === limit) return { results, continuation: new SelectContinuation(c.state, walk, where, map, limit) };
    }
  }
}
