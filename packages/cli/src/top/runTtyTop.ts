import { ArborError } from '@arbor/core';
import { pause } from './pause.js';
import { renderTop } from './renderTop.js';
import type { TopSample } from './TopSample.js';
import type { TopSampler } from './TopSampler.js';

/** The terminal escape sequences `arbor top` writes. */
const ENTER = '\x1b[?1049h\x1b[?25l'; // alternate screen, cursor hidden
const LEAVE = '\x1b[?25h\x1b[?1049l'; // cursor shown, normal screen back
const HOME = '\x1b[H';
const CLEAR_LINE_END = '\x1b[K';
const CLEAR_BELOW = '\x1b[J';

/** The longest wait between two tries while the endpoint is gone. */
const MAX_RETRY_MS = 10_000;

/** What {@link runTtyTop} needs. */
export interface TtyTopOptions {
  readonly sampler: TopSampler;
  readonly intervalMs: number;
  /** Samples to show before exiting 0 (default: until `q`). */
  readonly count?: number;
  /** Rows in each top list (default: what fits the height). */
  readonly limit?: number;
  readonly stdout: NodeJS.WriteStream;
  /** Read in raw mode for `q` and Ctrl-C when it is a terminal. */
  readonly stdin: NodeJS.ReadStream;
}

/**
 * `arbor top` on a terminal: the screen of {@link renderTop}, redrawn in place on the
 * alternate screen every `intervalMs` and when the terminal is resized, the cursor
 * hidden, the keyboard in raw mode. `q` or Ctrl-C (or SIGINT, SIGTERM, SIGHUP) quits; the
 * terminal is restored however the loop ends, an error included. When the endpoint goes
 * away the last screen stays with a line saying so, and the loop retries with a growing
 * wait (at most 10 s). The first fetch happens before the screen is taken, so its error
 * is thrown as `arbor dump` would report it. Resolves with the exit code, 0.
 *
 * @example
 * const code = await runTtyTop({ sampler, intervalMs: 1000, stdout: process.stdout, stdin: process.stdin });
 */
export async function runTtyTop(o: TtyTopOptions): Promise<number> {
  const { stdout, stdin } = o;
  let sample: TopSample = await o.sampler.next();
  let notice: string | undefined;
  const quit = new AbortController();
  const quitting = new Promise<void>((resolve) => quit.signal.addEventListener('abort', () => resolve(), { once: true }));

  const draw = (): void => {
    const lines = renderTop(sample, {
      width: stdout.columns ?? 80,
      height: stdout.rows ?? 24,
      hint: 'q quits',
      ...(notice === undefined ? {} : { notice }),
      ...(o.limit === undefined ? {} : { limit: o.limit }),
    });
    stdout.write(`${HOME}${lines.join(`${CLEAR_LINE_END}\r\n`)}${CLEAR_LINE_END}${CLEAR_BELOW}`);
  };
  const onKey = (chunk: Buffer | string): void => {
    const text = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    if (/[qQ\x03]/.test(text)) quit.abort();
  };
  const onSignal = (): void => quit.abort();
  const raw = stdin.isTTY === true && typeof stdin.setRawMode === 'function';
  let entered = true;
  const restore = (): void => {
    if (!entered) return;
    entered = false;
    stdout.off('resize', draw);
    stdin.off('data', onKey);
    for (const s of SIGNALS) process.off(s, onSignal);
    process.off('exit', restore);
    if (raw) stdin.setRawMode(false);
    stdin.pause();
    stdout.write(LEAVE);
  };

  stdout.write(ENTER);
  process.on('exit', restore); // a crash still gives the terminal back
  for (const s of SIGNALS) process.on(s, onSignal);
  if (raw) stdin.setRawMode(true);
  stdin.on('data', onKey);
  stdin.resume();
  stdout.on('resize', draw);
  try {
    let failures = 0;
    for (let shown = 1; ; ) {
      draw();
      if (o.count !== undefined && shown >= o.count) return 0;
      if (!(await pause(retryWait(o.intervalMs, failures), quit.signal))) return 0;
      const next = o.sampler.next().then(
        (s) => ({ s }),
        (e: unknown) => ({ e }),
      );
      const got = await Promise.race([next, quitting.then(() => null)]);
      if (got === null) return 0;
      if ('s' in got) {
        sample = got.s;
        notice = undefined;
        failures = 0;
        shown++;
        continue;
      }
      if (!(got.e instanceof ArborError)) throw got.e;
      failures++;
      notice = `!! the endpoint ${o.sampler.endpoint} is gone (${got.e.message}); retry ${failures} in ${retryWait(o.intervalMs, failures)} ms; the screen below is from before`;
    }
  } finally {
    restore();
  }
}

/** The signals that quit `arbor top` on a terminal (the terminal is restored first). */
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** The wait before the next fetch: the interval, doubled per failure in a row, at most 10 s (or the interval if longer). */
function retryWait(intervalMs: number, failures: number): number {
  return failures === 0 ? intervalMs : Math.min(intervalMs * 2 ** failures, Math.max(intervalMs, MAX_RETRY_MS));
}
