import { defaultEndpointDir, findEndpoints } from '@arbor/debug';
import { AmbiguousEndpointError, NoEndpointFoundError } from './errors.js';

/**
 * The endpoint to read: `--endpoint`, else `ARBOR_ENDPOINT`, else the one live
 * default-named socket (`arbor-<system>-<pid>.sock`) in the private directory
 * `defaultEndpointDir()` (`/tmp/arbor-<uid>`). Throws
 * `NoEndpointFoundError` when there is none and `AmbiguousEndpointError` when there are several.
 */
export function resolveEndpoint(flag: string | undefined, env: NodeJS.ProcessEnv, dir: string = defaultEndpointDir()): string {
  if (flag !== undefined) return flag;
  const fromEnv = env['ARBOR_ENDPOINT'];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  const found = findEndpoints(dir);
  const live = found.filter((e) => !e.stale);
  if (live.length === 1) return live[0]!.path;
  if (live.length === 0) throw new NoEndpointFoundError(dir, found.map((e) => e.path));
  throw new AmbiguousEndpointError(dir, live);
}
