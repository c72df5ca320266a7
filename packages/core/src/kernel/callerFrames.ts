/**
 * Rejects a call's promise so that its error's stack names the caller.
 *
 * A call fails from Arbor's own frames (a deadline timer, the callee's exit), so the error's
 * synchronous stack says nothing of who called. V8 appends `at async f` frames to a stack
 * captured inside a promise reaction whose result an async function awaits, following
 * promises resolved with promises. So instead of rejecting the caller's promise directly,
 * this resolves it with a promise `q` and, one microtask later (once the caller's promise
 * follows `q`), rejects `q` from a reaction that captures the async frames and appends them
 * to the error's stack. The success path is untouched: this runs only when a call fails,
 * three microtasks later than a direct rejection. @internal
 *
 * @example
 * rejectWithCallerFrames(pc.resolve, new CallTimeoutError(ref, 100));
 */
export function rejectWithCallerFrames(resolve: (value: unknown) => void, error: unknown): void {
  let kick!: () => void;
  const start = new Promise<void>((r) => {
    kick = r;
  });
  resolve(
    start.then(() => {
      appendCallerFrames(error);
      throw error;
    }),
  );
  queueMicrotask(kick);
}

/** Appends the `at async …` frames of the current reaction to `error.stack`. */
function appendCallerFrames(error: unknown): void {
  if (!(error instanceof Error) || typeof error.stack !== 'string') return;
  const holder: { stack?: string } = {};
  Error.captureStackTrace(holder);
  const frames = (holder.stack ?? '').split('\n').filter((line) => line.startsWith('    at async '));
  if (frames.length > 0) error.stack = `${error.stack}\n${frames.join('\n')}`;
}
