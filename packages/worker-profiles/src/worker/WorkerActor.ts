import { GenServer, isNormalExit, noReply, type Call, type ExitReason, type From, type StatusDetails, type SystemInfo } from '@arbor/core';
import { registerChannel, WorkerChannel } from './WorkerChannel.js';
import type { WorkerMetadata, WorkerStats } from './WorkerInfo.js';
import type { ResolvedWorkerOptions } from './WorkerOptions.js';

/**
 * What a recycle call answers (a failed start is a value, so the actor keeps running). @internal
 *
 * @example
 * const outcome = await call(ref, { type: 'recycle' }); if (!outcome.ok) throw outcome.error;
 */
export type RecycleOutcome = { readonly ok: true } | { readonly ok: false; readonly error: unknown };

/**
 * The protocol of every worker actor (requests do not go through it: they go straight
 * to the actor's channel; see `WorkerHandle.request`).
 *
 * @example
 * const stats = await call(ref as ActorRef<WorkerProtocol>, { type: 'stats' });
 */
export interface WorkerProtocol {
  call: Call<'stats', WorkerStats> | Call<'metadata', WorkerMetadata> | Call<'recycle', RecycleOutcome>;
}

/**
 * The actor that owns one worker (a thread, a Node child, any process): it starts it from
 * its profile in `init` (a start failure is the InitError spawn and supervisors see),
 * serves its requests through a shared channel, replaces it in place on a cancel-grace
 * kill or a recycle, and exits with `WorkerExitError` when it dies unexpectedly (every
 * request in flight or queued is rejected once first), so its supervisor restarts it.
 * Start it with `startWorker`, or supervise `workerSpec(options)`.
 *
 * @example
 * await Supervisor.start(system, { strategy: 'one_for_one', children: [workerSpec({ profile, name: 'py' })] });
 */
export class WorkerActor extends GenServer<WorkerProtocol, undefined, ResolvedWorkerOptions> {
  #channel: WorkerChannel | undefined;

  override async init(options: ResolvedWorkerOptions): Promise<void> {
    this.trapExit(true); // so a supervisor's shutdown runs terminate (the orderly drain)
    const channel = new WorkerChannel(
      { system: this.system, self: this.self, logger: this.logger, fail: (error) => this.stop(error as ExitReason) },
      options,
    );
    // Fires on every exit, kill included (terminate does not run then): nothing outlives the actor.
    this.system.monitor(this.self, () => channel.actorDown());
    await channel.start();
    this.#channel = channel;
    registerChannel(this.system, this.self.id, channel);
  }

  override handleCall(request: WorkerProtocol['call'], from: From): WorkerStats | WorkerMetadata | typeof noReply {
    const channel = this.#channel!;
    switch (request.type) {
      case 'stats':
        return channel.stats();
      case 'metadata':
        return channel.metadata();
      case 'recycle':
        channel.recycle('manual').then(
          () => this.reply(from, { ok: true }),
          (error: unknown) => this.reply(from, { ok: false, error }),
        );
        return noReply;
    }
  }

  override handleInfo(msg: SystemInfo): void {
    // EXIT messages of links other than the parent (trapped): the worker does not depend on them.
    this.logger.debug('worker actor ignored a message', { report: 'worker_info_ignored', type: (msg as { type?: unknown }).type });
  }

  override async terminate(reason: ExitReason): Promise<void> {
    const channel = this.#channel;
    if (channel === undefined) return;
    if (isNormalExit(reason)) await channel.stop();
    else channel.actorDown();
  }

  override formatStatus(): StatusDetails | undefined {
    return this.#channel?.formatStatus();
  }
}
