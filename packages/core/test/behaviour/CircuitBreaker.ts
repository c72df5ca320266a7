import { Behaviour, InvalidOptionError, noReply, type Call, type From, type StatusDetails } from '../../src/index.js';

/** closed: calls go through; open: they fail fast; half_open: one trial call decides. */
export type BreakerMode = 'closed' | 'open' | 'half_open';

/** What a call through the breaker gives: the value, the failure, or `open` (not tried). */
export type BreakerOutcome<Res> = { status: 'ok'; value: Res } | { status: 'failed'; error: unknown } | { status: 'open' };

export interface BreakerOptions {
  /** Consecutive failures that open the breaker. */
  readonly failureThreshold: number;
  /** How long it stays open before a trial call is let through. */
  readonly resetAfterMs: number;
}

/** The typed protocol of every circuit breaker; `info` holds its own internal messages. */
export interface BreakerProtocol<Req, Res> {
  call: Call<'run', BreakerOutcome<Res>, { request: Req }> | Call<'mode', BreakerMode>;
  info: { type: 'finished'; from: From; result: BreakerOutcome<Res> } | { type: 'try_again' };
}

interface BreakerState {
  mode: BreakerMode;
  failures: number;
  trialRunning: boolean;
  options: BreakerOptions;
}

/**
 * A behaviour kind written on the extension API. Users subclass it and implement its
 * callbacks: `execute(request)` (required) and `onModeChange(from, to)` (optional).
 * Calls run concurrently: the breaker replies later (`noReply`, then `reply(from, ...)`),
 * so a slow call never blocks the mailbox.
 */
export abstract class CircuitBreaker<Req, Res> extends Behaviour<BreakerProtocol<Req, Res>, BreakerState, BreakerOptions> {
  static override readonly callbacks = ['execute', 'onModeChange'];

  /** The guarded operation. Throw or reject to count a failure. */
  abstract execute(request: Req): Res | Promise<Res>;

  /** Called on every mode change (logging, metrics). */
  onModeChange(_from: BreakerMode, _to: BreakerMode): void {}

  override onInit(options: BreakerOptions) {
    if (!(Number.isInteger(options?.failureThreshold) && options.failureThreshold > 0)) {
      throw new InvalidOptionError('options.failureThreshold', 'an integer > 0', options?.failureThreshold);
    }
    this.state = { mode: 'closed', failures: 0, trialRunning: false, options };
  }

  override onCall(req: BreakerProtocol<Req, Res>['call'], from: From) {
    const s = this.state;
    if (req.type === 'mode') return s.mode;
    if (s.mode === 'open' || (s.mode === 'half_open' && s.trialRunning)) return { status: 'open' };
    if (s.mode === 'half_open') s.trialRunning = true;
    const finished = (result: BreakerOutcome<Res>) => this.send(this.self, { type: 'finished', from, result });
    Promise.resolve()
      .then(() => this.execute(req.request))
      .then((value) => finished({ status: 'ok', value }), (error: unknown) => finished({ status: 'failed', error }));
    return noReply;
  }

  override onInfo(msg: BreakerProtocol<Req, Res>['info']) {
    const s = this.state;
    if (msg.type === 'try_again') return this.switchTo('half_open');
    s.trialRunning = false;
    if (msg.result.status === 'ok') {
      s.failures = 0;
      if (s.mode === 'half_open') this.switchTo('closed');
    } else if (s.mode === 'half_open' || ++s.failures >= s.options.failureThreshold) {
      this.switchTo('open');
      this.sendAfter({ type: 'try_again' }, s.options.resetAfterMs);
    }
    this.reply(msg.from, msg.result);
  }

  override formatStatus(): StatusDetails {
    return { state: this.state.mode, failures: this.state.failures };
  }

  private switchTo(mode: BreakerMode) {
    const from = this.state.mode;
    if (from === mode) return;
    this.state.mode = mode;
    this.onModeChange(from, mode);
  }
}
