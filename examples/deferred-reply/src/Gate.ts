/**
 * A gate with a deferred reply: `enter` does not answer at once. `handleCall` keeps the
 * caller's `from` and returns `noReply`, so the actor is free to handle other messages;
 * when the gate is cast `open` it answers every waiting caller with `this.reply(from, v)`.
 * This is how an actor waits for something without blocking itself.
 */
import { GenServer, noReply, type Call, type From, type NoReply } from '@arbor/core';

/** What the gate accepts. */
export interface GateProtocol {
  call: Call<'enter', string, { who: string }> | Call<'waiting', number>;
  cast: { type: 'open' };
}

interface Waiter {
  readonly who: string;
  readonly from: From<string>;
}

/** Holds `enter` callers until `open`, then admits them in order with numbered tickets. */
export class Gate extends GenServer<GateProtocol, { waiting: Waiter[]; nextTicket: number }> {
  override init(): void {
    this.state = { waiting: [], nextTicket: 1 };
  }

  override handleCall(req: GateProtocol['call'], from: From<string | number>): string | number | NoReply {
    switch (req.type) {
      case 'enter':
        this.state.waiting.push({ who: req.who, from });
        return noReply;
      case 'waiting':
        return this.state.waiting.length;
    }
  }

  override handleCast(_msg: GateProtocol['cast']): void {
    for (const { who, from } of this.state.waiting.splice(0)) {
      this.reply(from, `${who} admitted with ticket ${this.state.nextTicket++}`);
    }
  }
}
