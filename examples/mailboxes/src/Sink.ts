/**
 * An event sink that records every event it handles, used with a bounded mailbox
 * (`{ mailbox: { capacity, overflow: 'drop_oldest' } }`): when the mailbox is full, the
 * oldest queued message is dropped to make room, so a slow consumer keeps the newest events.
 */
import { GenServer, type Call } from '@arbor/core';

/** What a sink accepts. */
export interface SinkProtocol {
  call: Call<'received', readonly string[]>;
  cast: { type: 'event'; name: string };
}

/** Records event names in arrival order. */
export class Sink extends GenServer<SinkProtocol, string[]> {
  override init(): void {
    this.state = [];
  }

  override handleCast(msg: SinkProtocol['cast']): void {
    this.state.push(msg.name);
  }

  override handleCall(_req: SinkProtocol['call']): readonly string[] {
    return [...this.state];
  }
}
