/** A fake of a cluster package's remote ref, for core's tests of the remote extension point. */
import { RemoteActorRef, type ActorRef, type MonitorRef } from '../../src/index.js';

/** A ref of a process "on another node" that records every operation core hands it. */
export class RecordingRef extends RemoteActorRef {
  readonly kind = 'Worker@far';
  readonly ops: unknown[][] = [];
  constructor(readonly id: string) {
    super();
  }
  call(caller: ActorRef | null, request: unknown, timeout: number): Promise<unknown> {
    this.ops.push(['call', caller, request, timeout]);
    return Promise.resolve({ echoed: request });
  }
  cast(msg: unknown): void {
    this.ops.push(['cast', msg]);
  }
  send(msg: unknown): void {
    this.ops.push(['send', msg]);
  }
  exit(from: ActorRef | null, reason: unknown): void {
    this.ops.push(['exit', from, reason]);
  }
  link(from: ActorRef): void {
    this.ops.push(['link', from]);
  }
  unlink(from: ActorRef): void {
    this.ops.push(['unlink', from]);
  }
  linkedExit(from: ActorRef, reason: unknown): void {
    this.ops.push(['linkedExit', from, reason]);
  }
  monitor(mref: MonitorRef): void {
    this.ops.push(['monitor', mref]);
  }
  demonitor(mref: MonitorRef): void {
    this.ops.push(['demonitor', mref]);
  }
  kinds(): unknown[] {
    return this.ops.map((o) => o[0]);
  }
}

