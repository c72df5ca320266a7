import { GenServer, noReply, type Call, type From } from '../src/index.js';

/** The counter every test uses. */
export interface CounterProtocol {
  call: Call<'get', number> | Call<'add', number, { by: number }> | Call<'crash', never> | Call<'slow', number, { ms: number }> | Call<'later', number>;
  cast: { type: 'inc'; by: number } | { type: 'boom' } | { type: 'release'; value: number };
  info: { type: 'tick' };
}

export class Counter extends GenServer<CounterProtocol, number, number> {
  pending: From<number>[] = [];
  ticks = 0;

  override init(start: number): void {
    this.state = start;
  }

  override handleCall(req: CounterProtocol['call'], from: From<number>): number | typeof noReply | Promise<number> {
    switch (req.type) {
      case 'get':
        return this.state;
      case 'add':
        return (this.state += req.by);
      case 'crash':
        throw new Error('crash requested');
      case 'slow':
        return new Promise((r) => setTimeout(() => r(this.state), req.ms));
      case 'later':
        this.pending.push(from);
        return noReply;
    }
  }

  override handleCast(msg: CounterProtocol['cast']): void {
    switch (msg.type) {
      case 'inc':
        this.state += msg.by;
        return;
      case 'boom':
        throw new Error('boom');
      case 'release':
        for (const f of this.pending.splice(0)) this.reply(f, msg.value);
        return;
    }
  }

  override handleInfo(msg: { type: 'tick' } | { type: string }): void {
    if (msg.type === 'tick') this.ticks++;
  }
}
