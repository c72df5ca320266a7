/**
 * `arbor observe`: the observer page for an application in another process. Reads the
 * application through its DebugEndpoint (`remoteSource`), serves the page on 127.0.0.1
 * (`startObserver`), prints the URL (it holds the page's token), and runs until SIGINT or
 * SIGTERM, then closes the server and the connections (exit 0).
 */
import { spawn } from 'node:child_process';
import { formatReason } from '@arbor/core';
import { remoteSource, startObserver, type ObserverLogger } from '@arbor/debug';

/** What `arbor observe` was asked for. */
export interface ObserveOptions {
  readonly endpoint: string;
  readonly token: string | undefined;
  /** Milliseconds to wait for each answer of the endpoint. */
  readonly timeout: number;
  readonly allowControl: boolean;
  /** The page's port on 127.0.0.1 (0: a free one). */
  readonly port: number;
  /** Open the URL in the default browser (`xdg-open`, `open` on macOS). */
  readonly open: boolean;
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  /** Resolves when the command should stop (default: the first SIGINT or SIGTERM). */
  readonly stop?: Promise<void>;
}

/**
 * Runs `arbor observe` and resolves with the exit code (0 after SIGINT/SIGTERM). Rejects
 * like `arbor dump` when the first dump cannot be read (the endpoint's typed errors), or
 * with `EndpointInUseError` when `--port` is taken.
 *
 * @example
 * process.exitCode = await runObserve({ endpoint: '/tmp/arbor-1000/arbor-shop-4242.sock', token: undefined, timeout: 5000, allowControl: false, port: 0, open: false, stdout: process.stdout, stderr: process.stderr });
 */
export async function runObserve(o: ObserveOptions): Promise<number> {
  const source = remoteSource(o.endpoint, o.token === undefined ? { timeout: o.timeout } : { timeout: o.timeout, token: o.token });
  try {
    await source.dump(); // fail now, as arbor dump does, rather than serve a page that shows nothing
    const observer = await startObserver(source, { allowControl: o.allowControl, port: o.port, logger: stderrLogger(o.stderr) });
    try {
      const stop = o.stop ?? untilSignal();
      o.stdout.write(`arbor observe: ${observer.url} (the application at ${o.endpoint})\n`);
      o.stdout.write(`open the URL on this machine (it holds the page's token; keep it private); control actions ${o.allowControl ? 'allowed' : 'off (--allow-control)'}; Ctrl-C stops\n`);
      if (o.open) openBrowser(observer.url, o.stderr);
      // The observer's server and timers are unref'd (it never keeps an application alive);
      // this command is the process, so it stays until it is told to stop.
      const keepAlive = setInterval(() => {}, 1 << 30);
      try {
        await stop;
      } finally {
        clearInterval(keepAlive);
      }
    } finally {
      await observer.close();
    }
  } finally {
    await source.close();
  }
  return 0;
}

/** Resolves on the first SIGINT or SIGTERM (the handlers are removed then). */
function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
}

/** Warnings (the endpoint went away, ...) as one line on stderr; the info lines are printed by the command itself. */
function stderrLogger(stderr: { write(text: string): unknown }): ObserverLogger {
  return {
    info: () => undefined,
    warn: (message, meta) => stderr.write(`arbor observe: ${message}${meta?.['reason'] === undefined ? '' : ` (${String(meta['reason'])})`}\n`),
  };
}

/** Starts the platform's opener on `url`, detached; a failure is a line on stderr, not an error. */
function openBrowser(url: string, stderr: { write(text: string): unknown }): void {
  const command = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  try {
    const child = spawn(command, [url], { detached: true, stdio: 'ignore' });
    child.on('error', (e) => stderr.write(`arbor observe: could not open a browser (${command}: ${formatReason(e)}); open the URL yourself\n`));
    child.unref();
  } catch (e) {
    stderr.write(`arbor observe: could not open a browser (${formatReason(e)}); open the URL yourself\n`);
  }
}
