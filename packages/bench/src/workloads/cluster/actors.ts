/**
 * The actors the cluster workloads measure: an echo and a counter that live on the child
 * node (spawned there by name), and an exit watcher that traps exits in the bench process.
 */
import { GenServer, type ActorRef, type Call } from '@arbor/core';

/** `echo` answers its value. */
export interface EchoProtocol {
  call: Call<'echo', unknown, { value: unknown }>;
  cast: never;
}

/**
 * Answers every `echo` call with its value: the remote end of `remote_call_us` and
 * `remote_call_pipelined`.
 *
 * @example
 * const far = await cluster.spawn<EchoProtocol>('child', 'BenchEcho');
 * await call(far, { type: 'echo', value: 1 }); // 1
 */
export class BenchEcho extends GenServer<EchoProtocol, null, undefined> {
  override init(): void {
    this.state = null;
  }

  override handleCall(req: { type: 'echo'; value: unknown }): unknown {
    return req.value;
  }
}

/** A cast with a payload; `count` reads how many arrived and their payload bytes. */
export interface CounterProtocol {
  call: Call<'count', { readonly n: number; readonly chars: number }> | Call<'reset', true>;
  cast: { type: 'add'; data: string };
}

/**
 * Counts the casts it receives and the characters of their payloads: the remote end of
 * `remote_cast`.
 *
 * @example
 * cast(far, { type: 'add', data: 'x'.repeat(64) });
 * await call(far, { type: 'count' }); // { n: 1, chars: 64 }
 */
export class BenchCounter extends GenServer<CounterProtocol, { n: number; chars: number }, undefined> {
  override init(): void {
    this.state = { n: 0, chars: 0 };
  }

  override handleCast(msg: { type: 'add'; data: string }): void {
    this.state.n++;
    this.state.chars += msg.data.length;
  }

  override handleCall(req: CounterProtocol['call']): { n: number; chars: number } | true {
    if (req.type === 'reset') {
      this.state = { n: 0, chars: 0 };
      return true;
    }
    return { ...this.state };
  }
}

/** What the exit watcher is told when an `EXIT` arrives. */
export type OnExit = (reason: unknown, at: number) => void;

/** `link` links the watcher to a (remote) actor. */
export interface WatcherProtocol {
  call: Call<'link', true, { ref: ActorRef }>;
  cast: never;
  info: unknown;
}

/**
 * Traps exits and reports each `EXIT` to its callback with the clock reading on arrival:
 * the linked actor of `nodedown_ms`.
 *
 * @example
 * const w = await system.spawn(ExitWatcher, (reason, at) => console.log(reason, at));
 * await call(w, { type: 'link', ref: far });
 */
export class ExitWatcher extends GenServer<WatcherProtocol, OnExit, OnExit> {
  override init(onExit: OnExit): void {
    this.state = onExit;
    this.trapExit(true);
  }

  override handleCall(req: { type: 'link'; ref: ActorRef }): true {
    this.link(req.ref);
    return true;
  }

  override handleInfo(msg: unknown): void {
    const at = performance.now();
    if (typeof msg === 'object' && msg !== null && (msg as { type?: unknown }).type === 'EXIT') this.state((msg as { reason: unknown }).reason, at);
  }
}
