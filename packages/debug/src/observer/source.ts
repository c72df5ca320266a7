import type { Dump, TraceEnd, TraceEvent, TraceEventKind } from '@arbor/core';

/** A control action the observer may ask for (only when started with `allowControl`). */
export type ObserverControl = 'kill' | 'restart' | 'suspend' | 'resume';

/** What the observer shows when an actor is opened. */
export interface ActorDetails {
  readonly id: string;
  /** `previewOf(state)`: size-capped text, never the live value. */
  readonly state: string;
  /** The behaviour's `formatStatus()` details, if any. */
  readonly details: Readonly<Record<string, string | number | boolean | null>> | null;
}

/** A live trace started through a source. */
export interface SourceTrace {
  stop(): void;
  readonly ended: Promise<TraceEnd>;
}

/**
 * Where the observer reads a running system from: the system itself (`localSource`) or a debug
 * endpoint in another process (`remoteSource`). Every method rejects with a typed error.
 */
export interface ObserverSource {
  /** A dump with `memory` filled in. */
  dump(): Promise<Dump>;
  /** `null` when no live actor has this id. */
  actor(id: string): Promise<ActorDetails | null>;
  trace(id: string, options: { readonly max: number; readonly kinds?: readonly TraceEventKind[] }, onEvent: (event: TraceEvent) => void): Promise<SourceTrace>;
  control(action: ObserverControl, id: string): Promise<{ readonly ok: true } | { readonly ok: false; readonly reason: string }>;
  close(): Promise<void>;
}
