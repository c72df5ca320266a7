/**
 * A small supervising behaviour for the dump tests: it spawnLinks its children, restarts
 * them when they exit (one_for_one, no intensity limit), and reports them through the
 * public `describeSupervisor` hook. It is not a supervisor: just enough of one to give the
 * dump real children in a known order, with restart counts, a failed restart
 * (`restarting`) and a stopped child.
 */
import {
  describeSupervisor,
  GenServer,
  type ActorRef,
  type BehaviourClass,
  type Call,
  type ExitReason,
  type SupervisedChildInfo,
  type SupervisorInfo,
  type Supervising,
  type SystemInfo,
} from '../../src/index.js';
import { Probe, type ProbeArg } from './actors.js';

/** One child: a Probe (default) or another MiniSup. */
export type MiniChild =
  | { readonly id: string; readonly restart?: SupervisedChildInfo['restart']; readonly probe?: ProbeArg }
  | { readonly id: string; readonly restart?: SupervisedChildInfo['restart']; readonly sup: MiniSupArg };

export interface MiniSupArg {
  readonly strategy?: string;
  readonly children: readonly MiniChild[];
}

interface Entry {
  readonly spec: MiniChild;
  ref: ActorRef | undefined;
  status: SupervisedChildInfo['status'];
  restarts: number;
  lastExit: unknown;
}

export interface MiniSupProtocol {
  call: Call<'which', Record<string, ActorRef | undefined>> | Call<'spawnExtra', ActorRef, { arg?: ProbeArg }>;
}

export class MiniSup extends GenServer<MiniSupProtocol, Entry[], MiniSupArg> implements Supervising {
  strategy = 'one_for_one';

  override async init(arg: MiniSupArg): Promise<void> {
    this.trapExit(true);
    this.strategy = arg.strategy ?? 'one_for_one';
    this.state = [];
    for (const spec of arg.children) {
      this.state.push({ spec, ref: await this.start(spec), status: 'running', restarts: 0, lastExit: undefined });
    }
  }

  private start(spec: MiniChild): Promise<ActorRef> {
    return 'sup' in spec ? this.spawnLink(MiniSup as BehaviourClass<MiniSup>, spec.sup) : this.spawnLink(Probe, spec.probe);
  }

  override handleCall(req: MiniSupProtocol['call']): Record<string, ActorRef | undefined> | Promise<ActorRef> {
    if (req.type === 'spawnExtra') return this.spawnLink(Probe, req.arg);
    return Object.fromEntries(this.state.map((e) => [e.spec.id, e.ref]));
  }

  override async handleInfo(msg: SystemInfo): Promise<void> {
    if (msg.type !== 'EXIT') return;
    const entry = this.state.find((e) => e.ref === msg.from);
    if (entry === undefined) return; // an extra child, or a failed start
    entry.ref = undefined;
    entry.lastExit = msg.reason;
    const restart = entry.spec.restart ?? 'permanent';
    if (restart === 'temporary' || (restart === 'transient' && (msg.reason === 'normal' || msg.reason === 'shutdown'))) {
      entry.status = 'stopped';
      return;
    }
    entry.restarts++;
    try {
      entry.ref = await this.start(entry.spec);
      entry.status = 'running';
    } catch (e) {
      entry.status = 'restarting';
      entry.lastExit = (e as { reason?: unknown }).reason ?? e;
    }
  }

  override terminate(_reason: ExitReason): void {}

  [describeSupervisor](): SupervisorInfo {
    return {
      strategy: this.strategy,
      intensity: 3,
      period: 5,
      children: this.state.map((e) => ({
        id: e.spec.id,
        ref: e.ref,
        status: e.status,
        type: 'sup' in e.spec ? 'supervisor' : 'worker',
        restart: e.spec.restart ?? 'permanent',
        restarts: e.restarts,
        lastExitReason: e.lastExit,
      })),
    };
  }
}
