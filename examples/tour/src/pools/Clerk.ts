/**
 * The actor worker of part eight: a small GenServer that a checkout pool runs several of.
 * Each clerk takes a number when it starts (from the `hired` counter its pool's child spec
 * shares), and counts the customers it served, so the narration can say which worker a
 * lease got and that a checked-in worker comes back with its state.
 */
import { GenServer, type Call } from '@arbor/core';

/**
 * What a clerk answers: who served, and how many customers it has served so far.
 *
 * @example
 * const s: Served = { clerk: 'clerk-2', customer: 'bob', served: 2 };
 */
export interface Served {
  readonly clerk: string;
  readonly customer: string;
  readonly served: number;
}

/**
 * What a clerk accepts: `serve` a customer (a call answering {@link Served}).
 *
 * @example
 * const s = await call(clerk, { type: 'serve', customer: 'alice' }); // { clerk: 'clerk-1', customer: 'alice', served: 1 }
 */
export interface ClerkProtocol {
  call: Call<'serve', Served, { customer: string }>;
}

/**
 * The start argument shared by every clerk of one pool: `count` is the number the next
 * clerk takes (a restarted pool hires new clerks with new numbers).
 *
 * @example
 * const spec = childSpec(Clerk, { hired: { count: 0 } });
 */
export interface ClerkArg {
  readonly hired: { count: number };
}

/**
 * A clerk: `clerk-<n>`, serving customers one call at a time.
 *
 * @example
 * await pools.startPool({ name: 'clerks', worker: childSpec(Clerk, { hired: { count: 0 } }), size: 2 });
 */
export class Clerk extends GenServer<ClerkProtocol, { name: string; served: number }, ClerkArg> {
  override init({ hired }: ClerkArg): void {
    this.state = { name: `clerk-${++hired.count}`, served: 0 };
  }

  override handleCall(req: ClerkProtocol['call']): Served {
    this.state.served += 1;
    return { clerk: this.state.name, customer: req.customer, served: this.state.served };
  }
}
