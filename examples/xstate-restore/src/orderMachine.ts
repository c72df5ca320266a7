/**
 * An order workflow as an xstate v5 machine: items are added to the cart, checkout moves
 * to payment, a payment of the right amount marks it paid, shipping finishes it. A
 * payment with a negative amount throws from its action: a bug the supervisor recovers from.
 */
import { assign, setup } from 'xstate';

/** What the order accepts. */
export type OrderEvent = { type: 'ADD_ITEM'; sku: string; price: number } | { type: 'CHECKOUT' } | { type: 'PAY'; amount: number } | { type: 'SHIP' };

export interface OrderContext {
  readonly items: readonly string[];
  readonly total: number;
  readonly paid: number;
}

export const orderMachine = setup({
  types: { context: {} as OrderContext, events: {} as OrderEvent },
  actions: {
    recordPayment: assign(({ context, event }) => {
      const amount = (event as { amount: number }).amount;
      if (amount < 0) throw new Error(`payment of ${amount} rejected by the ledger`);
      return { paid: context.paid + amount };
    }),
  },
  guards: {
    paidInFull: ({ context }) => context.paid >= context.total,
  },
}).createMachine({
  id: 'order',
  context: { items: [], total: 0, paid: 0 },
  initial: 'cart',
  states: {
    cart: {
      on: {
        ADD_ITEM: { actions: assign(({ context, event }) => ({ items: [...context.items, event.sku], total: context.total + event.price })) },
        CHECKOUT: 'payment',
      },
    },
    payment: {
      on: { PAY: { actions: 'recordPayment', target: 'checking' } },
    },
    checking: {
      always: [{ guard: 'paidInFull', target: 'paid' }, { target: 'payment' }],
    },
    paid: { on: { SHIP: 'shipped' } },
    shipped: { type: 'final' },
  },
});
