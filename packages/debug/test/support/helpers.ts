/** Test helpers of @arbor/debug: a capturing system and a probe actor (the shared ones come from @arbor/test-support). */
import { capturingLogger, type LogLine } from '@arbor/test-support';
import { createSystem, GenServer, type ActorRef, type ActorSystem, type Call } from '@arbor/core';

export { eventually, exitReasonOf, sleep, type LogLine } from '@arbor/test-support';

/** A system whose winston logger writes into an array, for asserting on reports. */
export function capturingSystem(name = 'test'): { system: ActorSystem; logs: LogLine[] } {
  const { logger, logs } = capturingLogger();
  return { system: createSystem({ name, logger }), logs };
}

/** What a {@link Probe} answers: `link` links it to `ref` (as core's test Probe does). */
export interface ProbeProtocol {
  call: Call<'link', true, { ref: ActorRef }>;
}

/** A test actor: something live to find in a dump, that links on request. */
export class Probe extends GenServer<ProbeProtocol, undefined, undefined> {
  override handleCall(req: ProbeProtocol['call']): true {
    this.link(req.ref);
    return true;
  }
}
