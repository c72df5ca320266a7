import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { UnknownPackageError, WorkspaceNotFoundError, WorkspacePatternError } from './errors.js';

/** One workspace package: its name and where it lives. */
export interface WorkspacePackage {
  /** The `name` of its package.json, e.g. `@arbor/core`. */
  readonly name: string;
  /** Its absolute directory. */
  readonly dir: string;
  /** Its directory relative to the workspace root, with `/`, e.g. `packages/core`. */
  readonly path: string;
}

/** The monorepo: its root directory and its packages, sorted by path. */
export interface Workspace {
  readonly root: string;
  readonly packages: readonly WorkspacePackage[];
}

/**
 * Finds the monorepo that contains `start`: the nearest directory at or above it whose
 * package.json has `workspaces`, and every package those patterns (`dir/*` or `dir`) name.
 *
 * @example
 * const ws = findWorkspace(fileURLToPath(import.meta.url));
 * ws.packages.map((p) => p.name); // ['@arbor/bench', '@arbor/cli', '@arbor/core', ...]
 */
export function findWorkspace(start: string): Workspace {
  for (let dir = start; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const json = JSON.parse(readFileSync(manifest, 'utf8')) as { workspaces?: unknown };
      if (Array.isArray(json.workspaces)) return { root: dir, packages: listPackages(dir, json.workspaces as string[]) };
    }
    if (dirname(dir) === dir) throw new WorkspaceNotFoundError(start);
  }
}

/**
 * The workspace package called `name`; throws UnknownPackageError when there is none.
 *
 * @example
 * findPackage(findWorkspace(process.cwd()), '@arbor/core').path; // 'packages/core'
 */
export function findPackage(workspace: Workspace, name: string): WorkspacePackage {
  const found = workspace.packages.find((p) => p.name === name);
  if (found === undefined) throw new UnknownPackageError(name, workspace.packages.map((p) => p.name));
  return found;
}

function listPackages(root: string, patterns: readonly string[]): WorkspacePackage[] {
  const dirs: string[] = [];
  for (const pattern of patterns) {
    if (pattern.endsWith('/*') && !pattern.slice(0, -2).includes('*')) {
      const parent = join(root, pattern.slice(0, -2));
      if (!existsSync(parent)) continue;
      for (const entry of readdirSync(parent, { withFileTypes: true })) if (entry.isDirectory()) dirs.push(join(parent, entry.name));
    } else if (!pattern.includes('*')) {
      dirs.push(join(root, pattern));
    } else {
      throw new WorkspacePatternError(pattern);
    }
  }
  const packages: WorkspacePackage[] = [];
  for (const dir of dirs) {
    const manifest = join(dir, 'package.json');
    if (!existsSync(manifest)) continue;
    const { name } = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown };
    if (typeof name === 'string') packages.push({ name, dir, path: toPosix(relative(root, dir)) });
  }
  return packages.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * Every file under `dir` (recursively, skipping node_modules) whose name ends with one of
 * `extensions`, as paths relative to `dir` with `/`, sorted. A missing `dir` has none.
 *
 * @example
 * listFiles('packages/core/dist/src', ['.js']); // ['actor/CallHandlers.js', ...]
 */
export function listFiles(dir: string, extensions: readonly string[]): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return [];
  const found: string[] = [];
  const walk = (sub: string): void => {
    for (const entry of readdirSync(join(dir, sub), { withFileTypes: true })) {
      const rel = sub === '' ? entry.name : `${sub}/${entry.name}`;
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules') walk(rel);
      } else if (extensions.some((ext) => entry.name.endsWith(ext))) {
        found.push(rel);
      }
    }
  };
  walk('');
  return found.sort();
}

/** A path with `/` separators, whatever the platform. @internal */
export function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}
