/**
 * @arbor/debug: the live tree of a running Arbor application, from outside it. A
 * `DebugEndpoint` actor serves `dump(system)` on a Unix socket (or 127.0.0.1 with a token)
 * as newline-delimited JSON; `fetchDump` reads it from another process (the `arbor` CLI
 * does). `remoteSource` reads the same endpoint for the observer page (dump, an actor's
 * state, live traces, control actions). The dump itself (`dump`, `renderDump`, the `Dump` types) is `@arbor/core`'s.
 */
export { DebugEndpoint, type DebugEndpointHttpOptions, type DebugEndpointOptions, type DebugEndpointProtocol, type DebugEndpointState } from './DebugEndpoint.js';
export { fetchDump, type FetchDumpOptions } from './fetchDump.js';
export { remoteSource, type RemoteSourceOptions } from './observer/remoteSource.js';
export {
  defaultEndpointDir,
  defaultEndpointPath,
  findEndpoints,
  formatEndpoint,
  parseEndpoint,
  tokenFilePath,
  type EndpointAddress,
  type FoundEndpoint,
} from './endpoint.js';
export {
  DumpTimeoutError,
  EndpointDirectoryError,
  EndpointInUseError,
  EndpointOpError,
  EndpointPathError,
  EndpointRefusedError,
  EndpointTokenError,
  EndpointUnreachableError,
  type EndpointRefusal,
  InvalidEndpointError,
  MalformedDumpError,
  ObserverClosedError,
  ObserverPageMissingError,
  PublicHostError,
} from './errors.js';
export type { ActorDetails, ObserverControl, ObserverSource, SourceTrace } from './observer/source.js';
export { localSource } from './observer/localSource.js';
export { startObserver, type Observer, type ObserverLogger, type ObserverOptions } from './observer/startObserver.js';
