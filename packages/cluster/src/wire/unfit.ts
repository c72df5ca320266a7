/**
 * Thrown inside `toWire` for a value that cannot cross; each container on the way back up
 * prepends its key, so the final error names the whole path. Internal to the codec.
 */
export class Unfit {
  readonly path: string[] = [];
  constructor(readonly problem: string) {}
}

/** Prepends one path step (`.key`, `[2]`, `.get("k")`) to an `Unfit` passing through. */
export function through(error: unknown, step: string): unknown {
  if (error instanceof Unfit) error.path.push(step);
  return error;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** The path step for an object key: `.name` or `["odd key"]`. */
export function keyStep(key: string): string {
  return IDENTIFIER.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

/** `msg.items[2].fn` from the root name and the steps collected innermost first. */
export function formatPath(root: string, unfit: Unfit): string {
  return root + unfit.path.slice().reverse().join('');
}
