/**
 * @arbor/worker-profiles: threads, Node processes and any-language processes (Python over
 * stdio) as supervised worker actors behind one typed interface. See docs/worker-profiles.md.
 */
export { isBatch, MAX_BATCH_BYTES, MAX_BATCH_FRAMES } from './contract/frames.js';
export type { CancelFrame, ChildFrame, ErrFrame, Frame, ParentFrame, PingFrame, PongFrame, ReadyFrame, ReqFrame, ResFrame, StatsFrame, WireError } from './contract/frames.js';
export { formatWorkerExit, WORKER_EXIT_REASONS, type KillCause, type RecycleTrigger, type WorkerExit, type WorkerExitBase } from './contract/WorkerExit.js';
export type { ArgOf, MethodOf, ResultOf, TaskContext, WorkerApi } from './contract/Handlers.js';
export { estimateFrameSize, Outbox, type OutboxOptions, type WireWriter } from './transport/Outbox.js';
export { encodeMessage, FramingError, MAX_MESSAGE_BYTES, MessageDecoder } from './transport/u32Framing.js';
export type { StartContext, StartLogger, WorkerConn, WorkerProfile } from './contract/WorkerProfile.js';
export { RequestAbortedError, RequestTimeoutError, UnknownMethodError, WorkerExitError, WorkerStartError, WorkerStoppedError, WorkerTaskError } from './errors/errors.js';
export { WorkerQueueFullError } from './worker/errors.js';
export { WorkerActor, type RecycleOutcome, type WorkerProtocol } from './worker/WorkerActor.js';
export type { RequestOptions } from './worker/WorkerChannel.js';
export { startWorker, WorkerHandle, workerOf, workerSpec } from './worker/WorkerHandle.js';
export { Worker } from './worker/Worker.js';
export type { HealthResult, WorkerMetadata, WorkerStats } from './worker/WorkerInfo.js';
export type { HealthOptions, RecycleOptions, WorkerOptions } from './worker/WorkerOptions.js';
export { threadProfile, type ThreadProfileOptions } from './profiles/thread.js';
export { nodeProcessProfile, type NodeProcessProfileOptions } from './profiles/nodeProcess.js';
export { stdioProfile, type StdioProfileOptions } from './profiles/stdio.js';
export { pythonProfile, resolvePython, PYTHON_RUNTIME_PATH, PYTHON_TASKS_PATH, type PythonProfileOptions } from './profiles/python.js';
export { watchRss, DEFAULT_RSS_INTERVAL_MS } from './memory/RssPoller.js';
export { hasSetpriv, resolveRegistry, signalGroup, spawnOsWorker, type OsSpawn, type OsWorkerProcess, type RegistryOption } from './profiles/osProcess.js';
