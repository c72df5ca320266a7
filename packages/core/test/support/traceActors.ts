import { GenServer, noReply, type ActorRef, type ActorSystem, type Call, type From, type Trace, type TraceEvent, type TraceOptions } from '../../src/index.js';

/** An actor that does a bit of everything a trace reports. */
export interface TraceeProtocol {
  call: Call<'get', number> | Call<'later', number>;
  cast: { type: 'inc' } | { type: 'release' } | { type: 'boom' } | { type: 'quit' } | { type: 'family'; peer: ActorRef<PeerProtocol> };
}

export class Tracee extends GenServer<TraceeProtocol, number, number> {
  pending: From<number> | undefined;
  child: ActorRef | undefined;

  override init(start: number): void {
    this.state = start;
  }

  override handleCall(req: TraceeProtocol['call'], from: From<number>): number | typeof noReply {
    if (req.type === 'get') return this.state;
    this.pending = from;
    return noReply;
  }

  override async handleCast(msg: TraceeProtocol['cast']): Promise<void> {
    switch (msg.type) {
      case 'inc':
        this.state++;
        return;
      case 'release':
        if (this.pending !== undefined) this.reply(this.pending, this.state);
        this.pending = undefined;
        return;
      case 'boom':
        throw new Error('boom');
      case 'quit':
        this.stop('normal');
        return;
      case 'family': {
        this.send(msg.peer, { type: 'hello' });
        const child = await this.spawnLink(Quiet, undefined);
        this.monitor(child);
        this.unlink(child);
        this.child = child;
        return;
      }
    }
  }
}

/** The peer the tracee sends to. */
export interface PeerProtocol {
  info: { type: 'hello' };
}

export class Peer extends GenServer<PeerProtocol> {
  override handleInfo(): void {}
}

export class Quiet extends GenServer {}

/** Starts a trace that records its events in an array. */
export function recording(system: ActorSystem, ref: ActorRef, options: Omit<TraceOptions, 'tracer'> = {}): { events: TraceEvent[]; trace: Trace } {
  const events: TraceEvent[] = [];
  const trace = system.trace(ref, { ...options, tracer: (e) => events.push(e) });
  return { events, trace };
}
