/**
 * @arbor/core: typed actors with mailboxes, call/cast/info, links, monitors, exit
 * signals and local names, on one fair scheduler.
 */
export { type ActorRef, MonitorRef, protocolType } from './actor/ActorRef.js';
export type { MailboxLimits, OverflowPolicy } from './actor/Cell.js';
export {
  GenServer,
  ignore,
  noReply,
  type BehaviourClass,
  type CallOptions,
  type From,
  type Ignore,
  type InitArgOf,
  type NoReply,
  type ProtocolOf,
  type RefProtocol,
  type SpawnedMonitor,
} from './actor/GenServer.js';
export {
  replyType,
  type AnyReplyOf,
  type Call,
  type CallOf,
  type CallRequest,
  type CallTypeOf,
  type CastOf,
  type DownMessage,
  type ExitMessage,
  type InfoOf,
  type Protocol,
  type ReplyOf,
  type SystemInfo,
} from './actor/Protocol.js';
export { ArborError } from './errors/ArborError.js';
export {
  AlreadyNamedError,
  AlreadyStartedError,
  CallExitError,
  CallSelfError,
  CallTimeoutError,
  InitError,
  InitIgnoredError,
  InvalidBehaviourError,
  InvalidOptionError,
  MailboxFullError,
  MessageDroppedError,
  NameTakenError,
  NoProcError,
  SystemStoppedError,
  UnhandledMessageError,
} from './errors/errors.js';
export { formatReason, isNormalExit, isShutdownWith, shutdownWith, type ExitReason, type ShutdownWith } from './exit/ExitReason.js';
export { createLogger, type LogLevel } from './log/logger.js';
export type { CrashReport } from './log/reports.js';
export { ActorSystem, type DownCallback, type StartResult, type SystemOptions } from './system/ActorSystem.js';
export type { ActorState, ActorStatus } from './system/ActorStatus.js';
export { call, cast, createSystem, defaultSystem, exit, isAlive, openInbox, send, spawn } from './system/defaultSystem.js';
export { Inbox } from './system/Inbox.js';
export type { SchedulerOptions } from './system/Scheduler.js';
export type { SpawnOptions } from './system/SpawnOptions.js';
export { TimerRef } from './system/TimerRef.js';
export { describeName, isViaName, via, type NameProvider, type ViaName } from './names/NameProvider.js';
export { describeSupervisor, type SupervisedChildInfo, type SupervisorInfo, type Supervising } from './supervisor/introspection.js';
export { dump } from './dump/dump.js';
export type { Dump, DumpNode, DumpOptions, DumpStatus } from './dump/DumpNode.js';
export { renderDump } from './dump/renderDump.js';
export { DebugEndpoint, type DebugEndpointOptions, type DebugEndpointProtocol, type DebugEndpointState } from './dump/DebugEndpoint.js';
export { fetchDump, type FetchDumpOptions } from './dump/fetchDump.js';
export { defaultEndpointPath, findEndpoints, formatEndpoint, parseEndpoint, type EndpointAddress, type FoundEndpoint } from './dump/endpoint.js';
export {
  DumpTimeoutError,
  EndpointInUseError,
  EndpointPathError,
  EndpointUnreachableError,
  InvalidEndpointError,
  MalformedDumpError,
  PublicHostError,
} from './dump/errors.js';
