/** Test actors of @arbor/cluster: one driven by calls and casts that links, monitors, traps and records. */
import { GenServer, type ActorRef, type AnyReplyOf, type Call, type MonitorRef } from '@arbor/core';

export interface NodeProbeArg {
  readonly trap?: boolean;
}

export interface NodeProbeProtocol {
  call:
    | Call<'echo', unknown, { value: unknown }>
    | Call<'got', unknown[]>
    | Call<'link', true, { ref: ActorRef }>
    | Call<'unlink', true, { ref: ActorRef }>
    | Call<'monitor', MonitorRef, { ref: ActorRef }>
    | Call<'demonitor', boolean, { monitor: MonitorRef }>
    | Call<'callRef', unknown, { ref: ActorRef; request: unknown }>
    | Call<'crash', never, { error: unknown }>
    | Call<'slow', string, { ms: number }>
    | Call<'self', ActorRef>;
  cast: { type: 'push'; value: unknown } | { type: 'stop'; reason: unknown } | { type: 'crashCast'; error: unknown };
  info: unknown;
}

/** Records every cast value and info message (EXIT, DOWN, nodedown) in its state, in arrival order. */
export class NodeProbe extends GenServer<NodeProbeProtocol, unknown[], NodeProbeArg | undefined> {
  override init(arg: NodeProbeArg | undefined): void {
    this.state = [];
    if (arg?.trap === true) this.trapExit(true);
  }

  override async handleCall(req: NodeProbeProtocol['call']): Promise<AnyReplyOf<NodeProbeProtocol>> {
    switch (req.type) {
      case 'echo':
        return req.value;
      case 'got':
        return [...this.state];
      case 'link':
        this.link(req.ref);
        return true;
      case 'unlink':
        this.unlink(req.ref);
        return true;
      case 'monitor':
        return this.monitor(req.ref);
      case 'demonitor':
        return this.demonitor(req.monitor);
      case 'callRef':
        return this.call(req.ref as ActorRef<any>, req.request as never);
      case 'crash':
        throw req.error;
      case 'slow':
        await new Promise((r) => setTimeout(r, req.ms));
        return 'late';
      case 'self':
        return this.self;
    }
  }

  override handleCast(msg: NodeProbeProtocol['cast']): void {
    if (msg.type === 'push') this.state.push(msg.value);
    else if (msg.type === 'stop') this.stop(msg.reason as never);
    else throw msg.error;
  }

  override handleInfo(msg: unknown): void {
    this.state.push(msg);
  }
}
