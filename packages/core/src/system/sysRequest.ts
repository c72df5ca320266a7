import type { ActorRef } from '../actor/ActorRef.js';
import { Cell } from '../actor/Cell.js';
import type { SysRequest } from '../actor/Envelope.js';
import type { CallOptions } from '../actor/GenServer.js';
import { CallTimeoutError } from '../errors/errors.js';
import { timeoutOf } from './SpawnOptions.js';
import { badRef } from './validateBehaviour.js';

/**
 * Sends a system request (get_state, replace_state, suspend, resume) to a cell and
 * settles it with the answer, or with `CallTimeoutError` after `options.timeout`
 * (default 5000 ms): every promise settles, even against a stuck actor. @internal
 */
export function sysRequest(ref: ActorRef, op: SysRequest['op'], arg: unknown, options: CallOptions | undefined): Promise<unknown> {
  if (!(ref instanceof Cell)) return Promise.reject(badRef(op, ref));
  let timeout: number;
  try {
    timeout = timeoutOf(options);
  } catch (e) {
    return Promise.reject(e);
  }
  return new Promise((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    if (timeout !== Infinity) timer = setTimeout(() => reject(new CallTimeoutError(ref, timeout)), timeout);
    const done =
      <T>(f: (v: T) => void) =>
      (v: T) => {
        if (timer !== undefined) clearTimeout(timer);
        f(v);
      };
    ref.requestSys({ op, arg, resolve: done(resolve), reject: done(reject) });
  });
}
