import test from 'ava';
import { call, createSystem, currentActor, GenServer, type ActorRef, type Call } from '../../src/index.js';

interface P {
  call: Call<'who', { init: ActorRef | undefined; sync: ActorRef | undefined; afterAwait: ActorRef | undefined }>;
}
class Who extends GenServer<P> {
  seenInInit: ActorRef | undefined;
  override init() {
    this.seenInInit = currentActor();
  }
  override async handleCall() {
    const sync = currentActor();
    await Promise.resolve();
    return { init: this.seenInInit, sync, afterAwait: currentActor() };
  }
}

test('currentActor is the actor whose handler runs, in its synchronous part only; undefined outside any actor', async (t) => {
  const system = createSystem();
  t.is(currentActor(), undefined);
  const ref = await system.spawn(Who, undefined);
  const r = await call(ref, { type: 'who' });
  t.is(r.init, ref);
  t.is(r.sync, ref);
  t.is(r.afterAwait, undefined);
  await system.shutdown();
});
