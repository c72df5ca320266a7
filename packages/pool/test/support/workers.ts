import { GenServer, noReply, type Call, type From, type NoReply } from '@arbor/core';

/** The seed's worker: doubles a number (PoolToy's Doubler); `sleep` answers after `ms` (a slow request). */
export interface DoublerProtocol {
  call: Call<'double', number, { n: number }> | Call<'crash', never> | Call<'sleep', number, { ms: number }>;
}

export class Doubler extends GenServer<DoublerProtocol, undefined, undefined> {
  override handleCall(req: DoublerProtocol['call'], from: From): number | NoReply {
    if (req.type === 'crash') throw new Error('asked to crash');
    if (req.type === 'sleep') {
      setTimeout(() => this.reply(from, req.ms), req.ms).unref();
      return noReply;
    }
    return req.n * 2;
  }
}

/** A worker whose start fails while `failing.on` is true (the poolboy #122 case). */
export const failing = { on: false, starts: 0 };
export class Flaky extends GenServer<DoublerProtocol, undefined, undefined> {
  override init(): void {
    failing.starts++;
    if (failing.on) throw new Error('cannot connect');
  }
  override handleCall(req: DoublerProtocol['call']): number {
    if (req.type !== 'double') throw new Error(`Flaky serves double only, got ${req.type}`);
    return req.n * 2;
  }
}

/** Waits (bounded poll) until `cond()` holds. */
export async function waitFor(cond: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
