/**
 * A service of the demo shop: answers `ping`, crashes when cast `crash`, and writes
 * `stop <name> <reason>` into the shared journal when it stops (it traps exits, so its
 * supervisor's shutdown runs `terminate`).
 */
import { formatReason, GenServer, type Call, type ExitReason } from '@arbor/core';

/** What a service accepts. */
export interface ServiceProtocol {
  call: Call<'ping', string>;
  cast: { type: 'crash'; why: string };
}

/** A service's start argument. */
export interface ServiceArg {
  readonly name: string;
  readonly journal: string[];
}

/** A named service that journals its stop. */
export class Service extends GenServer<ServiceProtocol, ServiceArg, ServiceArg> {
  override init(arg: ServiceArg): void {
    this.state = arg;
    this.trapExit(true);
  }

  override handleCall(_req: ServiceProtocol['call']): string {
    return `${this.state.name}: pong`;
  }

  override handleCast(msg: ServiceProtocol['cast']): void {
    throw new Error(msg.why);
  }

  override terminate(reason: ExitReason): void {
    this.state.journal.push(`stop ${this.state.name} (${formatReason(reason)})`);
  }
}
