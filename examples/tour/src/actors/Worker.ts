/**
 * The worker the watchdog keeps alive. It answers `ping` with its generation (1 for the
 * first one, 2 after the first restart, ...) and crashes on purpose when cast `crash`:
 * the handler throws, so the actor exits with that Error as its reason.
 */
import { GenServer, type Call } from '@arbor/core';

/** What a worker accepts. */
export interface WorkerProtocol {
  call: Call<'ping', string>;
  cast: { type: 'crash'; why: string };
}

/** A worker; the start argument is its generation. */
export class Worker extends GenServer<WorkerProtocol, number, number> {
  override init(generation: number): void {
    this.state = generation;
  }

  override handleCall(_req: WorkerProtocol['call']): string {
    return `pong from generation ${this.state}`;
  }

  override handleCast(msg: WorkerProtocol['cast']): void {
    // A deliberate crash: throwing from a handler is how an actor fails in Arbor.
    throw new Error(msg.why);
  }
}
