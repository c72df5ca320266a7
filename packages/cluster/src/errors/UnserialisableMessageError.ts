import { ArborError } from '@arbor/core';

/**
 * A message holds a value that cannot cross to another node (a function, a symbol, a Promise, a
 * WeakMap, a cyclic object, an instance of a class that is not plain data...). Thrown at the
 * sender, before anything is sent; `path` names where the value sits in the message.
 *
 * @example
 * codec.encode({ items: [1, 2, { fn: () => 1 }] });
 * // throws UnserialisableMessageError:
 * // msg.items[2].fn: a function cannot cross nodes; send data (a `type` field) and let the receiver choose the code
 */
export class UnserialisableMessageError extends ArborError {
  readonly code = 'unserialisable_message' as const;

  constructor(
    /** Where the value sits: `msg.items[2].fn`. */
    readonly path: string,
    /** What is wrong and how to fix it. */
    readonly problem: string,
    options?: ErrorOptions,
  ) {
    super(`${path}: ${problem}`, options);
  }
}
