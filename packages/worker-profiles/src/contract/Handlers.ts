/**
 * Typing of what a worker serves. A worker's API is an object type whose methods take one
 * argument (and, in a Node worker, a {@link TaskContext}) and return the reply or a promise of
 * it. The same type is written once and used on both sides: the worker module exports its
 * handlers (`export const handlers = { ... }`) and the parent names `typeof handlers`; a
 * Python or other-language worker is described by an interface.
 *
 * @example
 * interface PyApi { add(arg: { a: number; b: number }): number; upper(arg: string): string }
 */

/** What a Node handler gets besides its argument. */
export interface TaskContext {
  /** Fires when the parent cancels the request (its caller aborted, or timed out). */
  readonly signal: AbortSignal;
  /** The request's id on this worker connection. */
  readonly id: number;
}

/** Any worker API: methods of one argument (and an optional {@link TaskContext}). */
export type WorkerApi<H> = { readonly [K in keyof H]: (arg: never, ctx: TaskContext) => unknown };

/** The method names of a worker API. */
export type MethodOf<H> = Extract<keyof H, string>;

/** The argument type of method `M`. */
export type ArgOf<H, M extends MethodOf<H>> = H[M] extends (arg: infer A, ...rest: never[]) => unknown ? A : never;

/** The reply type of method `M` (a promise is unwrapped). */
export type ResultOf<H, M extends MethodOf<H>> = H[M] extends (...args: never[]) => infer R ? Awaited<R> : never;

/** A phantom key that carries a profile's API type. @internal */
export declare const apiType: unique symbol;
