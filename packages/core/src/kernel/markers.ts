/**
 * Return it from a call hook (`handleCall`, `onCall`) to reply later with
 * `this.reply(from, value)`.
 *
 * @example
 * handleCall(req, from) { this.waiting.push(from); return noReply; }
 */
export const noReply: unique symbol = Symbol('arbor.noReply');
/** The type of {@link noReply}. */
export type NoReply = typeof noReply;

/**
 * Return it from `init` / `onInit` to decline to start (OTP's `ignore`).
 *
 * @example
 * init(cfg) { if (!cfg.enabled) return ignore; }
 */
export const ignore: unique symbol = Symbol('arbor.ignore');
/** The type of {@link ignore}. */
export type Ignore = typeof ignore;

/**
 * Opaque handle on a caller waiting for a reply of type `R` (OTP's `From`). Answer it once
 * with `this.reply(from, value)`; later answers, and answers after the caller's timeout,
 * are dropped. It stays valid after the hook returns, so it can be kept and answered later.
 *
 * @example
 * onCall(req, from) { this.pending.push(from); return noReply; } // later: this.reply(from, 42)
 */
export interface From<R = unknown> {
  readonly __replyType?: (reply: R) => void;
}

/**
 * Set to true on `Behaviour.prototype`: how the start protocol tells a behaviour class
 * without importing the class (the kernel sits below the behaviour layer). @internal
 *
 * @example
 * const isBehaviourClass = (c: unknown) => typeof c === 'function' && c.prototype?.[behaviourBrand] === true;
 */
export const behaviourBrand: unique symbol = Symbol('arbor.behaviour');
