/*
 * The kernel's door: the one module code outside `kernel/` imports. The process itself
 * (cell, mailbox, envelopes, flag bits, signals, scheduler, call deadlines, live list,
 * timers, sys requests) lives behind it; a system, a behaviour kind or a supervisor reaches
 * a process only through these functions, as OTP's gen_server reaches `sys` through its
 * callback contract. See docs/architecture.md. Not part of the package's public entry.
 *
 * @example
 * import { isDead, sendExit, type Cell } from '../kernel/index.js';
 * if (!isDead(child)) sendExit(sup, child, 'shutdown');
 */
export { protocolType, MonitorRef, type ActorRef } from './ActorRef.js';
export type { Cell, DownHook, MailboxLimits, OverflowPolicy, Watcher } from './Cell.js';
/** The class of local refs, as a value: only for the remote API's `LocalActorRef` (codecs match by class). */
export { Cell as CellClass } from './Cell.js';
export { statusOf, type ActorState, type ActorStatus } from './ActorStatus.js';
export { CallDeadlines } from './CallDeadlines.js';
export type { Host } from './Host.js';
export { LiveCells } from './LiveCells.js';
export { behaviourBrand, ignore, noReply, type From, type Ignore, type NoReply } from './markers.js';
export {
  adopt,
  behaviourOf,
  callCell,
  castTo,
  completeInit,
  createCell,
  currentCell,
  discardCell,
  exitReasonOf,
  failInit,
  hostOf,
  isCell,
  isDead,
  isThenable,
  parentOf,
  replyTo,
  requestContinue,
  requestStop,
  runAs,
  runningCell,
  sendExit,
  sendInfo,
  setTrapExit,
  startTimer,
  trapsExits,
  type InitOutcome,
} from './process.js';
export { RemoteActorRef } from './RemoteRef.js';
export { acceptRemoteLink, acceptRemoteUnlink, linkRemote, monitorRemote, remoteDown, remoteExit, unlinkRemote } from './signals.js';
export { Scheduler, type SchedulerOptions } from './Scheduler.js';
export { addHookMonitor, addMonitor, demonitor, demonitorFrom, hookMonitorDown, link, linkCells, monitorFrom, unlink } from './signals.js';
export { stopActor, stopAll, sysRequest } from './sysRequest.js';
export { TimerRef } from './TimerRef.js';
export { attachSink, sinkOf, traceSpawn, type TraceSink, type TraceSinkOptions } from './TraceSink.js';
