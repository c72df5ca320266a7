/**
 * Waits `ms` milliseconds, or less if `signal` aborts first; resolves either way (true when
 * the whole time passed). The loops of `arbor top` wait between samples with it, so a quit
 * does not wait for the next refresh.
 *
 * @example
 * if (!(await pause(1000, quit.signal))) return 0; // quit while waiting
 */
export function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (full: boolean): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolve(full);
    };
    const onAbort = (): void => done(false);
    const timer = setTimeout(() => done(true), ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
