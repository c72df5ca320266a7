import type { MonitorRef } from '@arbor/core';

/** A class whose instances are actor refs (any constructor; only `instanceof` is used). */
export type RefClass = abstract new (...args: never[]) => object;

/**
 * How one node turns its refs into wire ids and back. Each `FrameCodec` has its own, so several
 * nodes can live in one process.
 *
 * @example
 * const hooks: RefHooks = {
 *   refClasses: [LocalRef, RemoteActorRef],
 *   encodeRef: (ref) => node.exportRef(ref),            // -> [incarnation, id]
 *   decodeRef: (incarnation, id) => node.refFor(incarnation, id),
 * };
 */
export interface RefHooks {
  /** The classes whose instances are actor refs (core's local ref class and the cluster's RemoteActorRef). */
  readonly refClasses: readonly RefClass[];
  /** A ref met while encoding -> [incarnation, id] (the node exports a local ref here). */
  encodeRef(ref: object): readonly [string, string];
  /** [incarnation, id] met while decoding -> the ref value to put in the decoded message. */
  decodeRef(incarnation: string, id: string): unknown;
  /** A `MonitorRef` met while encoding -> [incarnation, id]. Without it a MonitorRef cannot be sent. */
  encodeMonitor?(monitor: MonitorRef): readonly [string, number];
  /** [incarnation, id] of a monitor met while decoding -> the value to put in the decoded message. */
  decodeMonitor?(incarnation: string, id: number): unknown;
}
