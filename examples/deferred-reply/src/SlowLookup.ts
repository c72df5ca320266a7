/**
 * An async handler: `lookup` awaits (simulated) I/O inside `handleCall` and returns the
 * value. The actor still handles one message at a time: a message that arrives while the
 * lookup is awaiting waits until the handler has finished. The log shows the order.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { GenServer, type Call } from '@arbor/core';

/** What the lookup service accepts. */
export interface LookupProtocol {
  call: Call<'lookup', string, { key: string }> | Call<'log', readonly string[]>;
  cast: { type: 'note'; text: string };
}

/** Answers lookups after a delay and keeps a log of what it did, in order. */
export class SlowLookup extends GenServer<LookupProtocol, string[], number> {
  #latencyMs = 0;

  override init(latencyMs: number): void {
    this.#latencyMs = latencyMs;
    this.state = [];
  }

  override async handleCall(req: LookupProtocol['call']): Promise<string | readonly string[]> {
    switch (req.type) {
      case 'lookup':
        this.state.push(`lookup ${req.key}: started`);
        await delay(this.#latencyMs);
        this.state.push(`lookup ${req.key}: finished`);
        return `${req.key.toUpperCase()} (looked up in ${this.#latencyMs} ms)`;
      case 'log':
        return [...this.state];
    }
  }

  override handleCast(msg: LookupProtocol['cast']): void {
    this.state.push(`note: ${msg.text}`);
  }
}
