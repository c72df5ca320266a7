import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { resolveRelative, scanImports } from './importGraph.js';
import { listFiles } from './workspace.js';

/** An import a layer lets through although it skips the door, and why. */
export interface LayerException {
  /** The importing file (`test/kernel/cell.test.ts`), or a folder ending in `/` (`test/kernel/`). */
  readonly from: string;
  /** The file inside the layer it may import (`src/kernel/Cell.ts`); every file when omitted. */
  readonly to?: string;
  readonly reason: string;
}

/**
 * A folder of a package that the rest of the package reaches only through one module.
 * Paths are relative to the package directory, with `/`.
 */
export interface Layer {
  /** The workspace package, e.g. `@arbor/core`. */
  readonly package: string;
  /** The layer's folder, e.g. `src/kernel`. */
  readonly folder: string;
  /** Its only entry for code outside it, e.g. `src/kernel/index.ts`. */
  readonly door: string;
  /** The folders whose TypeScript files are checked, e.g. `['src', 'test']`. */
  readonly scan: readonly string[];
  readonly exceptions?: readonly LayerException[];
}

/**
 * The layers of the Arbor packages. Add a row to give a package a new layer.
 *
 * @example
 * LAYERS.find((l) => l.package === '@arbor/core')?.door; // 'src/kernel/index.ts'
 */
export const LAYERS: readonly Layer[] = [
  { package: '@arbor/core', folder: 'src/kernel', door: 'src/kernel/index.ts', scan: ['src', 'test'] },
];

/** One import that goes around a layer's door (or a door that is missing). */
export interface LayerViolation {
  /** The importing file, relative to the package (`src/system/x.ts`); the door itself when it is missing. */
  readonly file: string;
  /** 1-based; 0 when the door is missing. */
  readonly line: number;
  /** The file it imports, relative to the package (`src/kernel/Cell.js`), as the specifier names it. */
  readonly imports: string;
  /** What is wrong and how to fix it. */
  readonly message: string;
}

const SOURCE_EXTENSIONS = ['.ts', '.mts', '.cts', '.tsx'];

/**
 * Checks one layer of the package in `packageDir`: every TypeScript file of `layer.scan`
 * outside `layer.folder` may import from inside it only `layer.door` — all imports count,
 * `import type` and `export … from` included, since the rule is about what a file may see,
 * not what runs. A missing door is a violation too. No violation: an empty list.
 *
 * @example
 * for (const v of checkLayer('packages/core', LAYERS[0]!)) console.log(v.message);
 * // src/system/validateBehaviour.ts:3 imports kernel/Cell.js; import from kernel/index.js instead
 */
export function checkLayer(packageDir: string, layer: Layer): LayerViolation[] {
  const violations: LayerViolation[] = [];
  const parent = posix.dirname(layer.folder);
  const show = (path: string): string => withJsExtension(parent === '.' ? path : posix.relative(parent, path));
  if (!SOURCE_EXTENSIONS.some((ext) => existsSync(join(packageDir, stem(layer.door) + ext)))) {
    violations.push({
      file: layer.door,
      line: 0,
      imports: layer.door,
      message: `${layer.door} does not exist: it is the door of ${layer.folder}/, the one module code outside it may import; create it and export from it what the rest of the package uses`,
    });
  }
  for (const top of layer.scan) {
    for (const rel of listFiles(join(packageDir, top), SOURCE_EXTENSIONS)) {
      const file = `${top}/${rel}`;
      if (inside(file, layer.folder)) continue;
      for (const { specifier, line } of scanImports(readFileSync(join(packageDir, file), 'utf8'))) {
        const target = resolveRelative(file, specifier);
        if (target === undefined || !inside(target, layer.folder)) continue;
        if (stem(target) === stem(layer.door) || excepted(layer, file, target)) continue;
        violations.push({
          file,
          line,
          imports: target,
          message: `${file}:${line} imports ${show(target)}; import from ${show(layer.door)} instead`,
        });
      }
    }
  }
  return violations;
}

function inside(path: string, folder: string): boolean {
  return path.startsWith(`${folder}/`);
}

function excepted(layer: Layer, file: string, target: string): boolean {
  return (layer.exceptions ?? []).some(
    (e) => (e.from.endsWith('/') ? file.startsWith(e.from) : file === e.from) && (e.to === undefined || stem(e.to) === stem(target)),
  );
}

/** `src/kernel/Cell.ts`, `.js`, `.d.ts` -> `src/kernel/Cell`: one module, however it is named. */
function stem(path: string): string {
  return path.replace(/(\.d)?\.[cm]?[jt]sx?$/, '');
}

function withJsExtension(path: string): string {
  return path.replace(/(\.d)?\.([cm]?)[jt]sx?$/, '.$2js');
}
