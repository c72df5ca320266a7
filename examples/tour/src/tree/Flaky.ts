/**
 * A mailer whose `init` fails while `failures.left > 0` (a dependency that is down), so
 * its supervisor shows it as `restarting` and retries with backoff until it comes up.
 */
import { GenServer } from '@arbor/core';
import type { ServiceProtocol } from './Service.js';

/** Shared with the scene, which sets how many starts fail. */
export interface FlakyArg {
  readonly failures: { left: number; seen: number };
}

/** Starts only once `failures.left` is down to 0. */
export class Flaky extends GenServer<ServiceProtocol, undefined, FlakyArg> {
  override init(arg: FlakyArg): void {
    if (arg.failures.left > 0) {
      arg.failures.left--;
      arg.failures.seen++;
      throw new Error('smtp server unreachable');
    }
  }

  override handleCall(_req: ServiceProtocol['call']): string {
    return 'mailer: pong';
  }

  override handleCast(msg: ServiceProtocol['cast']): void {
    throw new Error(msg.why);
  }
}
