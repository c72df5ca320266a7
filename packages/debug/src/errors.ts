import { ArborError } from '@arbor/core';

/** Where a dump can be fetched from: a Unix socket path, or `127.0.0.1:<port>`. */
const HOW_TO_FIND =
  "start a DebugEndpoint in the application, then pass its endpoint (a socket path such as /tmp/arbor-<uid>/arbor-<system>-<pid>.sock, or 127.0.0.1:<port>) with --endpoint or ARBOR_ENDPOINT; run `arbor dump` with neither to use the only socket in /tmp/arbor-<uid>";

/**
 * `DebugEndpoint` was asked to listen on a host other than 127.0.0.1. The dump shows the
 * inside of every actor, so it is served only on a Unix socket or on the loopback address.
 *
 * @example
 * system.spawn(DebugEndpoint, { port: 9000, host: '0.0.0.0' }) // rejects: InitError, reason PublicHostError
 */
export class PublicHostError extends ArborError {
  readonly code = 'public_host' as const;
  constructor(readonly host: unknown) {
    super(
      `DebugEndpoint refuses host ${describe(host)}: the dump is served only on a Unix socket or on 127.0.0.1; ` +
        'leave host out (or set it to 127.0.0.1) and reach a remote machine through an SSH tunnel (ssh -L)',
    );
  }
}

/**
 * Something already listens on the endpoint `DebugEndpoint` was asked to use (another
 * process, or another endpoint of this one).
 *
 * @example
 * await system.spawn(DebugEndpoint, { port: 9900 });
 * await system.spawn(DebugEndpoint, { port: 9900 }) // rejects: InitError, reason EndpointInUseError
 */
export class EndpointInUseError extends ArborError {
  readonly code = 'endpoint_in_use' as const;
  constructor(readonly endpoint: string) {
    super(`a server already listens on ${endpoint}; stop the process that owns it, or give DebugEndpoint another { path } or { port }`);
  }
}

/**
 * The path `DebugEndpoint` was asked to listen on holds a file that is not a socket; it is
 * left alone rather than deleted.
 *
 * @example
 * await system.spawn(DebugEndpoint, { path: './package.json' }) // rejects: InitError, reason EndpointPathError
 */
export class EndpointPathError extends ArborError {
  readonly code = 'endpoint_path_taken' as const;
  constructor(readonly path: string) {
    super(`${path} exists and is not a socket, so DebugEndpoint will not replace it; remove it yourself or pass another { path }`);
  }
}

/**
 * An endpoint text is neither a socket path nor `127.0.0.1:<port>`.
 *
 * @example
 * fetchDump('example.com:9000') // rejects with InvalidEndpointError
 */
export class InvalidEndpointError extends ArborError {
  readonly code = 'invalid_endpoint' as const;
  constructor(readonly endpoint: unknown) {
    super(`endpoint must be a Unix socket path or 127.0.0.1:<port> (as text, or { path } or { host: '127.0.0.1', port }), got: ${describe(endpoint)}`);
  }
}

/**
 * Nothing answers at the endpoint: the socket file does not exist, or nothing listens on it
 * (a process that crashed leaves its socket file behind), or the port is closed.
 *
 * @example
 * try { await fetchDump('/tmp/nope.sock') }
 * catch (e) { if (e instanceof EndpointUnreachableError && e.errno === 'ENOENT') console.error('no such socket') }
 */
export class EndpointUnreachableError extends ArborError {
  readonly code = 'endpoint_unreachable' as const;
  constructor(
    readonly endpoint: string,
    /** The system error code: `ENOENT` (no such socket), `ECONNREFUSED` (nobody listens), ... */
    readonly errno: string,
  ) {
    super(`no debug endpoint at ${endpoint} (${reachFailure(errno)}); ${HOW_TO_FIND}`);
  }
}

function reachFailure(errno: string): string {
  switch (errno) {
    case 'ENOENT':
      return 'no such socket';
    case 'ECONNREFUSED':
      return 'connection refused: nothing listens there';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied: run as the user that owns the application';
    default:
      return errno;
  }
}

/**
 * The endpoint accepted the connection but sent no full answer in time.
 *
 * @example
 * await fetchDump(endpoint, { timeout: 100 }) // rejects with DumpTimeoutError if the application is suspended
 */
export class DumpTimeoutError extends ArborError {
  readonly code = 'dump_timeout' as const;
  constructor(readonly endpoint: string, readonly timeout: number) {
    super(`${endpoint} sent no dump within ${timeout} ms; the application may be busy or suspended: retry with a longer timeout`);
  }
}

/**
 * The endpoint answered with something that is not a dump (another program, or another version).
 *
 * @example
 * await fetchDump('/run/other-program.sock') // rejects with MalformedDumpError if it answers, but not with a dump
 */
export class MalformedDumpError extends ArborError {
  readonly code = 'dump_malformed' as const;
  constructor(readonly endpoint: string, detail: string) {
    super(`${endpoint} did not answer with an Arbor dump (${detail}); check that the endpoint belongs to a DebugEndpoint of the same Arbor version`);
  }
}

/**
 * A TCP endpoint refused the request because it carried no token or a wrong one. A TCP
 * `DebugEndpoint` serves only clients that show its token (any local user can open a
 * TCP connection to 127.0.0.1, so the port alone proves nothing).
 *
 * @example
 * await fetchDump('127.0.0.1:9900', { token: 'wrong' }) // rejects with EndpointTokenError
 */
export class EndpointTokenError extends ArborError {
  readonly code = 'endpoint_token' as const;
  constructor(
    readonly endpoint: string,
    /** True if the client had no token to send. */
    readonly missing: boolean,
    tokenFile: string,
  ) {
    super(
      `${endpoint} refused the request: ${missing ? 'no token was sent' : 'the token is wrong'}; ` +
        `pass the endpoint's token (fetchDump option { token }, arbor dump --token, or ARBOR_TOKEN), or run as the application's user so it is read from ${tokenFile}`,
    );
  }
}

/** Why a `DebugEndpoint` refused or closed a connection, as its error line says. */
export type EndpointRefusal = 'too_many_connections' | 'request_too_large' | 'idle_timeout' | 'bad_request';

/**
 * The endpoint refused or closed the connection on one of its limits (connections,
 * request size, idle time). `refusal` says which.
 *
 * @example
 * await fetchDump(path) // rejects with EndpointRefusedError (refusal 'too_many_connections') when 32 clients are connected
 */
export class EndpointRefusedError extends ArborError {
  readonly code = 'endpoint_refused' as const;
  constructor(
    readonly endpoint: string,
    readonly refusal: EndpointRefusal,
    detail: string,
  ) {
    super(`${endpoint} refused the request (${refusal}: ${detail}); retry later, or raise the DebugEndpoint's limit if this is expected`);
  }
}

/**
 * The private directory of the default endpoint (`/tmp/arbor-<uid>`) is not a directory of
 * this user's: another user (or a symlink) holds the name, so the socket is not put there.
 *
 * @example
 * system.spawn(DebugEndpoint, undefined) // rejects: InitError, reason EndpointDirectoryError
 */
export class EndpointDirectoryError extends ArborError {
  readonly code = 'endpoint_directory' as const;
  constructor(readonly dir: string, detail: string) {
    super(`${dir} ${detail}, so DebugEndpoint will not put its socket or token there; remove it, or pass DebugEndpoint a { path } in a directory of yours`);
  }
}

/**
 * The endpoint answered an `actor`, `trace` or `control` request with an error line, or
 * did not answer it in time. `reason` is the error line's code (`actor_timeout`,
 * `no_actor`, `invalid_argument`, `trace_active`, ...), or `timeout` when no answer came
 * within the client's timeout.
 *
 * @example
 * try { await source.actor(id) }
 * catch (e) { if (e instanceof EndpointOpError && e.reason === 'actor_timeout') console.error('the actor is busy') }
 */
export class EndpointOpError extends ArborError {
  readonly code = 'endpoint_op' as const;
  constructor(
    readonly endpoint: string,
    /** The request's op: `actor`, `trace`, `control`, ... */
    readonly op: string,
    /** The error line's code, or `timeout`. */
    readonly reason: string,
    detail: string,
  ) {
    super(`${endpoint} did not do the ${op} request (${reason}: ${detail})`);
  }
}

/** Describes a value for error messages, as core's errors do: `got: 5 (number)`. */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'function') return `function ${value.name || '(anonymous)'}`;
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'object') {
    const ctor = (value as object).constructor?.name;
    return ctor && ctor !== 'Object' ? `an instance of ${ctor}` : 'an object';
  }
  return `${String(value)} (${typeof value})`;
}

/**
 * An observer source was used after `close()`: its dump was stopped half way, or a new request came.
 *
 * @example
 * const source = localSource(system);
 * await source.close();
 * await source.dump() // rejects with ObserverClosedError
 */
export class ObserverClosedError extends ArborError {
  readonly code = 'observer_closed' as const;
  constructor(readonly what: string) {
    super(`${what}: the observer source is closed; make a new one (localSource(system)) to read the system again`);
  }
}

/**
 * `startObserver` found no page files next to its code: the package was not built (its
 * build compiles the page and copies it into dist).
 *
 * @example
 * await startObserver(localSource(system)) // rejects with ObserverPageMissingError in a source checkout that was not built
 */
export class ObserverPageMissingError extends ArborError {
  readonly code = 'observer_page_missing' as const;
  constructor(readonly dir: string, readonly missing: string) {
    super(`the observer page is not built: ${missing} is missing in ${dir}; run npm run build in packages/debug`);
  }
}
