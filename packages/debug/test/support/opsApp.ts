/** Actors and an endpoint for the op tests: a counter with status details, and a socket endpoint in a temp directory. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GenServer, type ActorSystem, type Call, type StatusDetails } from '@arbor/core';
import { DebugEndpoint, type DebugEndpointOptions } from '../../src/index.js';
import { capturingSystem } from './helpers.js';

/** What a {@link Counter} answers: `inc` casts, `get`, and `hold` (a call whose handler waits until `release`). */
export interface CounterProtocol {
  cast: { readonly type: 'inc'; readonly by: number; readonly note?: string };
  call: Call<'get', number> | Call<'hold', true>;
}

/** The promise a `hold` call waits for; `release()` lets it go. */
let held: { promise: Promise<void>; release: () => void } | undefined;

/** Makes the next `hold` call wait until `release()`. */
export function holdNext(): () => void {
  let release!: () => void;
  const promise = new Promise<void>((r) => (release = r));
  held = { promise, release };
  return release;
}

/** A counter whose state is `{ count, tags }` and whose status shows the count. */
export class Counter extends GenServer<CounterProtocol, { count: number; tags: string[] }, number | undefined> {
  override init(start: number | undefined): void {
    this.state = { count: start ?? 0, tags: ['a', 'b'] };
  }
  override handleCast(msg: CounterProtocol['cast']): void {
    this.state.count += msg.by;
  }
  override async handleCall(req: { type: 'get' } | { type: 'hold' }): Promise<number | true> {
    if (req.type === 'hold') {
      await held?.promise;
      return true;
    }
    return this.state.count;
  }
  override formatStatus(): StatusDetails {
    return { count: this.state.count, mood: 'fine' };
  }
}

/** A system with a socket endpoint (or the given options); both stop with the test. */
export async function endpointSystem(
  t: { teardown(fn: () => void | Promise<void>): void },
  options?: DebugEndpointOptions,
): Promise<{ system: ActorSystem; endpoint: string; debug: Awaited<ReturnType<typeof DebugEndpoint.start>> }> {
  const dir = mkdtempSync(join(tmpdir(), 'arbor-o-'));
  const { system } = capturingSystem('ops');
  t.teardown(async () => {
    await system.shutdown();
    rmSync(dir, { recursive: true, force: true });
  });
  const debug = await DebugEndpoint.start(system, options ?? { path: join(dir, 'd.sock') });
  return { system, endpoint: await DebugEndpoint.endpoint(debug), debug };
}
