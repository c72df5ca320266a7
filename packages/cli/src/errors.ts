import { ArborError } from '@arbor/core';

/** The command line is wrong: an unknown command or option, or a bad value. */
export class UsageError extends ArborError {
  readonly code = 'usage' as const;
  constructor(detail: string) {
    super(`${detail}; run \`arbor --help\` for the usage`);
  }
}

/** No endpoint was given and no live default-named socket was found in the private directory (`/tmp/arbor-<uid>`). */
export class NoEndpointFoundError extends ArborError {
  readonly code = 'no_endpoint' as const;
  constructor(
    readonly dir: string,
    /** Default-named sockets whose process has exited. */
    readonly stale: readonly string[],
  ) {
    super(
      `no Arbor debug endpoint found in ${dir} (looked for arbor-<system>-<pid>.sock)` +
        (stale.length > 0 ? `; left by exited processes: ${stale.join(', ')}` : '') +
        '; add a DebugEndpoint to the application, or pass --endpoint <path|127.0.0.1:port> or set ARBOR_ENDPOINT',
    );
  }
}

/** No endpoint was given and several live default-named sockets were found. */
export class AmbiguousEndpointError extends ArborError {
  readonly code = 'ambiguous_endpoint' as const;
  constructor(
    readonly dir: string,
    readonly candidates: readonly { readonly path: string; readonly system: string; readonly pid: number }[],
  ) {
    super(
      `${candidates.length} Arbor debug endpoints found in ${dir}; pick one with --endpoint (or ARBOR_ENDPOINT):\n` +
        candidates.map((c) => `  --endpoint ${c.path}   (system ${c.system}, pid ${c.pid})`).join('\n'),
    );
  }
}
