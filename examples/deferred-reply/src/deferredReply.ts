/**
 * Deferred replies and async handlers: alice and bob call `enter` on a gate, which keeps
 * their `from` and returns `noReply`, serves other calls meanwhile, and answers both with
 * `this.reply(from, ...)` when it is cast `open`. Then an async `handleCall` awaits inside
 * the handler, and its log shows that the actor still handles one message at a time.
 */
import { createLogger, createSystem, type LogLevel } from '@arbor/core';
import { Gate } from './Gate.js';
import { SlowLookup } from './SlowLookup.js';

/** What the example observed. */
export interface DeferredReplySummary {
  /** How many callers the gate said were waiting while their replies were deferred. */
  readonly waitingAtGate: number;
  /** The deferred replies, in the order the callers entered. */
  readonly deferredReplies: readonly string[];
  /** The async lookup's reply, and the lookup service's log: what it did, in order. */
  readonly lookupReply: string;
  readonly lookupLog: readonly string[];
}

/**
 * Runs the example, printing each step with `print`.
 *
 * @example
 * const { deferredReplies } = await runDeferredReply(console.log);
 */
export async function runDeferredReply(print: (line: string) => void, options: { logLevel?: LogLevel } = {}): Promise<DeferredReplySummary> {
  const system = createSystem({ name: 'deferred-reply', logger: createLogger(options.logLevel ?? 'warn') });
  try {
    print('Deferred replies and async handlers');
    const gate = await system.spawn(Gate, undefined);
    const alice = system.call(gate, { type: 'enter', who: 'alice' });
    const bob = system.call(gate, { type: 'enter', who: 'bob' });
    const waitingAtGate = await system.call(gate, { type: 'waiting' });
    print('  alice and bob call enter; handleCall returns noReply');
    print(`  the gate keeps serving meanwhile: call waiting -> ${waitingAtGate}`);
    system.cast(gate, { type: 'open' });
    const deferredReplies = await Promise.all([alice, bob]);
    print('  cast open; the gate answers each with this.reply(from, ...):');
    for (const r of deferredReplies) print(`     "${r}"`);
    const lookup = await system.spawn(SlowLookup, 25);
    const pending = system.call(lookup, { type: 'lookup', key: 'config' });
    system.cast(lookup, { type: 'note', text: 'cast while the lookup was awaiting' });
    const lookupReply = await pending;
    const lookupLog = await system.call(lookup, { type: 'log' });
    print(`  an async handleCall (await inside) -> "${lookupReply}"`);
    print('  its log shows one message at a time, even across the await:');
    for (const line of lookupLog) print(`     ${line}`);
    return { waitingAtGate, deferredReplies, lookupReply, lookupLog };
  } finally {
    await system.shutdown();
  }
}
