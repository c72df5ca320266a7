/**
 * @arbor/core: typed actors with mailboxes, call/cast/info, links, monitors, exit
 * signals, local names and registries, on one fair scheduler.
 */
export { type ActorRef, MonitorRef, protocolType, RemoteActorRef } from './kernel/index.js';
export {
  acceptRemoteLink,
  acceptRemoteUnlink,
  deliverRemoteDown,
  deliverRemoteExit,
  isLocalAlive,
  LocalActorRef,
  monitorForRemote,
} from './remote/RemoteNodeApi.js';
export type { MailboxLimits, OverflowPolicy } from './kernel/index.js';
export {
  GenServer,
  ignore,
  noReply,
  type BehaviourClass,
  type CallHandler,
  type CallHandlers,
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
  type CallTag,
  type CallTypeOf,
  type CastMessage,
  type CastOf,
  type CastTypeOf,
  type DownMessage,
  type ExitMessage,
  type InfoMessage,
  type InfoOf,
  type NoCallsError,
  type Protocol,
  type ReplyOf,
  type SystemInfo,
  type UnknownProtocol,
} from './actor/Protocol.js';
export {
  Behaviour,
  behaviourContext,
  type AnyBehaviour,
  type BehaviourContext,
} from './behaviour/Behaviour.js';
export type { StatusDetails, StatusValue } from './behaviour/StatusDetails.js';
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
export { createLogger, type LogLevel, type LogFormat, type LoggerOptions } from './log/logger.js';
export { prettyFormat } from './log/prettyFormat.js';
export type { CrashReport } from './log/reports.js';
export { ActorSystem, type DownCallback, type StartResult, type SystemOptions } from './system/ActorSystem.js';
export type { ActorState, ActorStatus } from './kernel/index.js';
export { call, cast, createSystem, defaultSystem, exit, isAlive, openInbox, send, spawn, trace } from './system/defaultSystem.js';
export { currentActor } from './system/currentActor.js';
export { Inbox } from './system/Inbox.js';
export type { SchedulerOptions } from './kernel/index.js';
export type { SpawnOptions, SpawnOptionsOf } from './system/SpawnOptions.js';
export { TimerRef } from './kernel/index.js';
export { badRef, checkRef, isActorRef, refExpected } from './validation/ref.js';
export { checkTimeout, MAX_TIMER_MS, type TimeoutRule } from './validation/timeout.js';
export { checkKnownKeys } from './validation/knownKeys.js';
export { closestKey } from './validation/closestKey.js';
export { describeName, isViaName, via, type NameProvider, type ProtocolMark, type ViaName } from './names/NameProvider.js';
export { defineName, type NameFor, type TypedName } from './names/ActorName.js';
export { describeSupervisor, type SupervisedChildInfo, type SupervisorInfo, type Supervising } from './supervisor/introspection.js';
export {
  childSpec,
  type BehaviourStart,
  type ChildSpec,
  type ChildSpecOverrides,
  type ChildStarter,
  type ChildType,
  type RestartType,
  type Shutdown,
  type StartFunction,
  type SupervisableClass,
} from './supervisor/ChildSpec.js';
export {
  BadSignificantError,
  ChildStartTimeoutError,
  DuplicateChildIdError,
  FailedToStartChildError,
  InvalidAutoShutdownError,
  InvalidBackoffError,
  InvalidChildTypeError,
  InvalidIntensityError,
  InvalidPeriodError,
  InvalidRestartTypeError,
  InvalidShutdownError,
  InvalidStartTimeoutError,
  InvalidStrategyError,
  MaxChildrenError,
  MissingChildIdError,
  MissingChildStartError,
  SupervisorSpecError,
  UnknownChildSpecKeyError,
} from './supervisor/errors.js';
export type { ChildCounts, ChildEntry, RestartChildResult, StartChildResult, SupervisorProtocol } from './supervisor/protocol.js';
export type { SupervisorReport, SupervisorReportKind } from './supervisor/reports.js';
export { Supervisor } from './supervisor/Supervisor.js';
export type { AutoShutdown, Backoff, RestartPolicy, Strategy, SupervisorDef } from './supervisor/SupervisorFlags.js';
export {
  DynamicSupervisor,
  type DynamicChildProtocol,
  type DynamicChildSpec,
  type DynamicStartResult,
  type DynamicSupervisorOptions,
  type DynamicSupervisorProtocol,
} from './supervisor/DynamicSupervisor.js';
export { startApplication, type Application, type ApplicationOptions, type ApplicationStopResult } from './application/Application.js';
export { Registry, type RegistryProtocol } from './registry/Registry.js';
export { RegistryHandle, type OwnerOption } from './registry/RegistryHandle.js';
export type { RegistryKeys, RegistryOptions } from './registry/RegistryOptions.js';
export type { RegisterResult, RegistryEntry, RegistryInfo, RegistryRecord, UpdateResult } from './registry/RegistryTable.js';
export type { RegistryEvent, RegistryListener } from './registry/RegistryEvent.js';
export { DuplicateKeysError, NoOwnerError, NotARegistryError, RegistryStoppedError } from './registry/errors.js';
export { Trace, type TraceInfo } from './trace/Trace.js';
export { MAX_TRACE_EVENTS, type TraceOptions } from './trace/checkTraceOptions.js';
export { previewOf, type PreviewLimits } from './trace/previewOf.js';
export {
  TRACE_EVENT_KINDS,
  type TraceEnd,
  type TraceEndReason,
  type TraceEvent,
  type TraceEventKind,
  type TraceExited,
  type TraceHandled,
  type TraceLinked,
  type TraceMonitored,
  type TraceOutcome,
  type TraceReceived,
  type Tracer,
  type TraceReplied,
  type TraceSent,
  type TraceSpawned,
  type TraceVia,
} from './trace/TraceEvent.js';
export { dump, dumpSteps } from './dump/dump.js';
export type { Dump, DumpMemory, DumpNode, DumpOptions, DumpStatus } from './dump/DumpNode.js';
export { checkDump } from './dump/checkDump.js';
export { renderDump, renderDumpLines } from './dump/renderDump.js';
export { Agent, type AgentInit, type AgentProtocol, type AgentRef } from './agent/Agent.js';
export { Task } from './task/Task.js';
export type { TaskFunction, TaskResult } from './task/TaskRunner.js';
export { TaskSupervisor, type TaskChildOptions, type TaskStartOptions, type TaskSupervisorOptions, type TaskSupervisorRef } from './task/TaskSupervisor.js';
export { TaskExitError, TaskTimeoutError } from './task/errors.js';
