import {
  GenServer,
  noReply,
  type ActorRef,
  type ActorStatus,
  type ActorSystem,
  type AnyReplyOf,
  type Call,
  type ExitReason,
  type From,
  type MonitorRef,
  type SpawnedMonitor,
} from '../../src/index.js';

/** The counter every test uses. */
export interface CounterProtocol {
  call: Call<'get', number> | Call<'add', number, { by: number }> | Call<'crash', never> | Call<'slow', number, { ms: number }> | Call<'later', number>;
  cast: { type: 'inc'; by: number } | { type: 'boom' } | { type: 'release'; value: number };
  info: { type: 'tick' };
}

export class Counter extends GenServer<CounterProtocol, number, number> {
  pending: From<number>[] = [];
  ticks = 0;

  override init(start: number): void {
    this.state = start;
  }

  override handleCall(req: CounterProtocol['call'], from: From<number>): number | typeof noReply | Promise<number> {
    switch (req.type) {
      case 'get':
        return this.state;
      case 'add':
        return (this.state += req.by);
      case 'crash':
        throw new Error('crash requested');
      case 'slow':
        return new Promise((r) => setTimeout(() => r(this.state), req.ms));
      case 'later':
        this.pending.push(from);
        return noReply;
    }
  }

  override handleCast(msg: CounterProtocol['cast']): void {
    switch (msg.type) {
      case 'inc':
        this.state += msg.by;
        return;
      case 'boom':
        throw new Error('boom');
      case 'release':
        for (const f of this.pending.splice(0)) this.reply(f, msg.value);
        return;
    }
  }

  override handleInfo(msg: { type: 'tick' } | { type: string }): void {
    if (msg.type === 'tick') this.ticks++;
  }
}

// ---------------------------------------------------------------------------------------
// Probe: a general test actor driven by calls and casts. It links, monitors, traps exits,
// spawns, and keeps every info message it receives (EXIT, DOWN, sends) in its state.

/** What a {@link Probe} starts with. */
export interface ProbeArg {
  /** Turn exit trapping on in `init` (with `this.trapExit(true)`). */
  readonly trap?: boolean;
  /** Called from `terminate` with the reason. */
  readonly onTerminate?: (reason: unknown) => void;
  /** Called from `init` with the actor's own ref and system (to look at it while it starts). */
  readonly onInit?: (self: ActorRef<ProbeProtocol>, system: ActorSystem) => void;
  /** Called from `handleInfo` with every info message. */
  readonly onInfo?: (msg: unknown) => void;
}

export interface ProbeProtocol {
  call:
    | Call<'link', true, { ref: ActorRef }>
    | Call<'unlink', true, { ref: ActorRef }>
    | Call<'monitor', MonitorRef, { ref: ActorRef }>
    | Call<'demonitor', boolean, { monitor: MonitorRef; flush: boolean }>
    | Call<'trap', true, { on: boolean }>
    | Call<'infos', unknown[]>
    | Call<'spawnLink', ActorRef<ProbeProtocol>, { arg: ProbeArg }>
    | Call<'spawnMonitor', SpawnedMonitor<ProbeProtocol>, { arg: ProbeArg }>
    | Call<'status', ActorStatus>;
  cast:
    | { type: 'stop'; reason: ExitReason }
    | { type: 'crash'; error: unknown }
    | { type: 'exit'; ref: ActorRef; reason: ExitReason }
    | { type: 'demonitor'; monitor: MonitorRef; flush: boolean };
  info: unknown;
}

export class Probe extends GenServer<ProbeProtocol, unknown[], ProbeArg | undefined> {
  #onTerminate: ((reason: unknown) => void) | undefined;
  #onInfo: ((msg: unknown) => void) | undefined;

  override init(arg: ProbeArg | undefined): void {
    this.state = [];
    if (arg?.trap === true) this.trapExit(true);
    this.#onTerminate = arg?.onTerminate;
    this.#onInfo = arg?.onInfo;
    arg?.onInit?.(this.self, this.system);
  }

  override handleCall(req: ProbeProtocol['call']): AnyReplyOf<ProbeProtocol> | Promise<AnyReplyOf<ProbeProtocol>> {
    switch (req.type) {
      case 'link':
        this.link(req.ref);
        return true;
      case 'unlink':
        this.unlink(req.ref);
        return true;
      case 'monitor':
        return this.monitor(req.ref);
      case 'demonitor':
        return this.demonitor(req.monitor, { flush: req.flush });
      case 'trap':
        this.trapExit(req.on);
        return true;
      case 'infos':
        return [...this.state];
      case 'spawnLink':
        return this.spawnLink(Probe, req.arg);
      case 'spawnMonitor':
        return this.spawnMonitor(Probe, req.arg);
      case 'status':
        return this.system.getStatus(this.self);
    }
  }

  override handleCast(msg: ProbeProtocol['cast']): void {
    switch (msg.type) {
      case 'stop':
        this.stop(msg.reason);
        return;
      case 'crash':
        throw msg.error;
      case 'exit':
        this.exit(msg.ref, msg.reason);
        return;
      case 'demonitor':
        this.demonitor(msg.monitor, { flush: msg.flush });
        return;
    }
  }

  override handleInfo(msg: unknown): void {
    this.state.push(msg);
    this.#onInfo?.(msg);
  }

  override terminate(reason: ExitReason): void {
    this.#onTerminate?.(reason);
  }
}

/** A promise with its resolve function exposed, to hold an async handler open. */
export interface Gate<T = void> {
  readonly promise: Promise<T>;
  readonly open: (value: T) => void;
}

export function gate<T = void>(): Gate<T> {
  let open!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    open = r;
  });
  return { promise, open };
}
