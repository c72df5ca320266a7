import test from 'ava';
import { Behaviour, behaviourContext, call, createSystem, GenServer, type ActorRef, type Call } from '../../src/index.js';

interface P {
  call: Call<'context', { self: ActorRef | undefined; afterAwait: ActorRef | undefined; sameSystem: boolean }>;
}
class Asker extends GenServer<P> {
  override async handleCall() {
    const self = behaviourContext(this)?.self;
    await Promise.resolve();
    // Unlike currentActor(), the instance still names its actor after an await.
    return { self, afterAwait: behaviourContext(this)?.self, sameSystem: behaviourContext(this)?.system === this.system };
  }
}

class Plain extends Behaviour {}

test('behaviourContext answers a started instance with its actor and system, also after an await', async (t) => {
  const system = createSystem();
  const ref = await system.spawn(Asker, undefined);
  const r = await call(ref, { type: 'context' });
  t.is(r.self, ref);
  t.is(r.afterAwait, ref);
  t.true(r.sameSystem);
  await system.shutdown();
});

test('behaviourContext answers any behaviour kind built on Behaviour, not only GenServer', async (t) => {
  const system = createSystem();
  let seen: ReturnType<typeof behaviourContext>;
  class Hook extends Behaviour {
    override onInit() {
      seen = behaviourContext(this);
    }
  }
  const ref = await system.spawn(Hook, undefined);
  t.is(seen!.self, ref);
  t.is(seen!.system, system);
  await system.shutdown();
});

test('behaviourContext refuses lookalikes, overriding getters, unstarted instances and non-objects', async (t) => {
  const system = createSystem();
  const ref = await system.spawn(Plain, undefined);
  t.is(behaviourContext({ self: ref, system }), undefined, 'a plain object with the right fields');
  class Faker extends Behaviour {
    override get self(): ActorRef<{}> {
      return ref;
    }
  }
  t.is(behaviourContext(new Faker()), undefined, 'an overriding self getter on an instance that never started');
  t.is(behaviourContext(new Plain()), undefined, 'an instance made with new');
  t.is(behaviourContext(Object.create(Plain.prototype)), undefined, 'an object with the prototype but no cell');
  for (const v of [undefined, null, 0, 'actor', ref]) t.is(behaviourContext(v), undefined, `${String(v)}`);
  await system.shutdown();
});
