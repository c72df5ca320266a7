/**
 * The errors the layering check throws when it cannot run at all (as opposed to finding a
 * cycle or a forbidden import, which it reports as values). Each has a literal `code`.
 *
 * @example
 * try { findWorkspace(process.cwd()) }
 * catch (e) { if (e instanceof LayeringError && e.code === 'no-workspace') console.error(e.message) }
 */
export abstract class LayeringError extends Error {
  abstract readonly code: string;

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * No package.json with `workspaces` in the start directory or any directory above it.
 *
 * @example
 * new WorkspaceNotFoundError('/tmp/x').message // no package.json with "workspaces" in /tmp/x or above it; ...
 */
export class WorkspaceNotFoundError extends LayeringError {
  readonly code = 'no-workspace' as const;

  constructor(readonly start: string) {
    super(`no package.json with "workspaces" in ${start} or above it; run the check from inside the monorepo`);
  }
}

/**
 * A workspace pattern the check does not understand (it takes `dir/*` and plain `dir`).
 *
 * @example
 * new WorkspacePatternError('packages/**').message // workspace pattern "packages/**" is not supported; ...
 */
export class WorkspacePatternError extends LayeringError {
  readonly code = 'bad-workspace-pattern' as const;

  constructor(readonly pattern: string) {
    super(`workspace pattern ${JSON.stringify(pattern)} is not supported; use "dir/*" or a plain directory in the root package.json`);
  }
}

/**
 * A layer rule names a package that is not in the workspace.
 *
 * @example
 * new UnknownPackageError('@arbor/nope', ['@arbor/core']).message // layer rule names @arbor/nope, which is not a workspace package; ...
 */
export class UnknownPackageError extends LayeringError {
  readonly code = 'unknown-package' as const;

  constructor(readonly packageName: string, known: readonly string[]) {
    super(`layer rule names ${packageName}, which is not a workspace package; known: ${known.join(', ')}`);
  }
}
