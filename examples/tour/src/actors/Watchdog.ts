/**
 * A hand-rolled watchdog: keeps one {@link Worker} alive under a local name.
 *
 * Full OTP supervisors (restart strategies, restart intensity, child specs, ordered
 * shutdown) arrive later in @arbor/core's supervisor module. This demo uses only the
 * primitives supervisors are built on:
 * - `trapExit(true)`: exit signals from linked actors arrive as `EXIT` info messages
 *   instead of killing the watchdog;
 * - `spawnLink`: the worker is linked to the watchdog (which becomes its parent), so when
 *   the worker dies the watchdog hears about it, and when the watchdog dies the worker
 *   goes with it;
 * - local names: each new worker is registered under the same name (the `name` spawn
 *   option, like OTP's `{local, Name}`), and the old one's name was released when it
 *   died, so `system.whereis(name)` always finds the current worker.
 *
 * On an abnormal EXIT the worker is started again and `restarts` goes up. A normal exit
 * (`normal`, `shutdown`, `{ shutdown: _ }`) is left alone, like a transient child, so
 * shutting the system down does not trigger restarts. There is no restart limit here:
 * that is exactly what a real supervisor's intensity adds.
 */
import { GenServer, isNormalExit, type ActorRef, type Call, type SystemInfo } from '@arbor/core';
import { Worker, type WorkerProtocol } from './Worker.js';

/** What `status` answers. */
export interface WatchdogStatus {
  readonly worker: ActorRef<WorkerProtocol>;
  readonly restarts: number;
}

/** What the watchdog accepts (EXIT messages come from the runtime, not from callers). */
export interface WatchdogProtocol {
  call: Call<'status', WatchdogStatus>;
}

interface WatchdogState {
  readonly name: string;
  worker: ActorRef<WorkerProtocol>;
  restarts: number;
  generation: number;
}

/** Keeps a worker alive; the start argument is the name to register it under. */
export class Watchdog extends GenServer<WatchdogProtocol, WatchdogState, string> {
  override async init(name: string): Promise<void> {
    this.trapExit(true);
    const worker = await this.spawnLink(Worker, 1, { name });
    this.state = { name, worker, restarts: 0, generation: 1 };
  }

  override handleCall(_req: WatchdogProtocol['call']): WatchdogStatus {
    return { worker: this.state.worker, restarts: this.state.restarts };
  }

  override async handleInfo(msg: SystemInfo): Promise<void> {
    if (msg.type !== 'EXIT' || msg.from !== this.state.worker) return;
    if (isNormalExit(msg.reason)) return;
    // The handler is async: the watchdog handles nothing else until the new worker is up,
    // so a `status` call queued behind this EXIT sees the restart. If the restart fails
    // the handler rejects and the watchdog crashes in turn (escalation).
    const generation = this.state.generation + 1;
    this.state.worker = await this.spawnLink(Worker, generation, { name: this.state.name });
    this.state.generation = generation;
    this.state.restarts++;
  }
}
