import test from 'ava';
import { exitReasonOf, type ExitWatchable } from '../src/index.js';

/** A one-actor system: `exit(reason)` ends the actor and tells its monitors. */
function oneActor(alive: boolean, reason?: unknown) {
  const onDowns: ((down: { reason: unknown }) => void)[] = [];
  let exitReason = reason;
  const system: ExitWatchable<'ref'> = {
    isAlive: () => alive,
    getStatus: () => ({ exitReason }),
    monitor: (_ref, onDown) => onDowns.push(onDown),
  };
  const exit = (r: unknown): void => {
    alive = false;
    exitReason = r;
    for (const f of onDowns) f({ reason: r });
  };
  return { system, exit };
}

test('exitReasonOf a dead actor is the reason it died with', async (t) => {
  t.is(await exitReasonOf(oneActor(false, 'shutdown').system, 'ref'), 'shutdown');
});

test('exitReasonOf a live actor resolves with the reason of its later exit', async (t) => {
  const { system, exit } = oneActor(true);
  const reason = exitReasonOf(system, 'ref');
  exit({ error: 'boom' });
  t.deepEqual(await reason, { error: 'boom' });
});
