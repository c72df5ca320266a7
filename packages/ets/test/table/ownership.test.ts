import test from 'ava';
import { Ets, OwnershipError, TableDeletedError, TableNameTakenError, TableTypeError, type SetTable } from '../../src/index.js';
import { hosts, inActor, settle } from '../support/hosts.js';

test('a table dies with its owner when no heir is set, and its name is free again', async (t) => {
  const { system, refs } = await hosts(2);
  const tab = await inActor(refs[0]!, (self) => Ets.create<string, number>(self, { type: 'set', name: 'mortal', access: 'public' }));
  tab.insert('a', 1);
  await system.stop(refs[0]!);
  await settle();
  t.false(tab.alive);
  t.throws(() => tab.lookup('a'), { instanceOf: TableDeletedError });
  t.is(Ets.whereis(system, 'mortal', 'set'), undefined);
  const again = await inActor(refs[1]!, (self) => Ets.create<string, number>(self, { type: 'set', name: 'mortal' }));
  t.is(again.size(), 0);
  await system.shutdown();
});

test('with an heir, the heir receives the table and an ets_transfer message with the heir data', async (t) => {
  const { system, refs } = await hosts(3);
  const [owner, heir] = refs as [(typeof refs)[0], (typeof refs)[0]];
  const tab = await inActor(owner, (self) =>
    Ets.create<string, number>(self, { type: 'set', name: 'heirloom', access: 'protected', heir: { ref: heir, data: 'for you' } }),
  );
  tab.insert('a', 1);
  t.is(tab.info().heir, heir);
  system.exit(owner, 'kill');
  await settle();
  t.true(tab.alive, 'the table survives its owner');
  const got = await inActor(heir, (self) => {
    const m = self.state.transfers[0]!;
    const h = m.table as SetTable<string, number>;
    h.insert('b', 2); // the heir now writes as owner
    return { from: m.from, gift: m.gift, owner: h.info().owner === self.self, isOwner: h.isOwner, size: h.size() };
  });
  t.deepEqual(got, { from: owner, gift: 'for you', owner: true, isOwner: true, size: 2 });
  t.throws(() => tab.insert('c', 3), { code: 'access_denied' }, "the dead owner's handle lost its write right");
  await system.shutdown();
});

test('an heir that is dead when the owner exits does not save the table', async (t) => {
  const { system, refs } = await hosts(2);
  const tab = await inActor(refs[0]!, (self) => Ets.create<string, number>(self, { type: 'set', heir: { ref: refs[1]! } }));
  await system.stop(refs[1]!);
  await system.stop(refs[0]!);
  await settle();
  t.false(tab.alive);
  await system.shutdown();
});

test('giveAway moves ownership: the receiver gets a handle and the gift, the old owner loses its rights', async (t) => {
  const { system, refs } = await hosts(2);
  const [a, b] = refs as [(typeof refs)[0], (typeof refs)[0]];
  const tab = await inActor(a, (self) => {
    const x = Ets.create<string, number>(self, { type: 'set', access: 'protected' });
    x.insert('k', 1);
    x.giveAway(b, { why: 'handover' });
    return x;
  });
  t.false(tab.isOwner);
  t.throws(() => tab.insert('k', 2), { code: 'access_denied' });
  t.throws(() => tab.giveAway(a, null), { instanceOf: OwnershipError });
  const r = await inActor(b, (self) => {
    const m = self.state.transfers[0]!;
    (m.table as SetTable<string, number>).insert('k', 5);
    return { gift: m.gift, from: m.from };
  });
  t.deepEqual(r, { gift: { why: 'handover' }, from: a });
  t.is(tab.lookup('k'), 5);
  // The table now dies with b, not a.
  await system.stop(a);
  await settle();
  t.true(tab.alive);
  await system.stop(b);
  await settle();
  t.false(tab.alive);
  await system.shutdown();
});

test('giveAway to itself or to a dead actor, and setHeir/drop by a non-owner, are OwnershipErrors', async (t) => {
  const { system, refs } = await hosts(3);
  await system.stop(refs[2]!);
  const tab = await inActor(refs[0]!, (self) => Ets.create<string, number>(self, { type: 'set', access: 'public' }));
  const errs = await inActor(refs[0]!, (self) => {
    const mine = tab.as(self);
    const out: unknown[] = [];
    for (const f of [() => mine.giveAway(refs[0]!, 1), () => mine.giveAway(refs[2]!, 1)]) {
      try {
        f();
      } catch (e) {
        out.push((e as { code?: string }).code);
      }
    }
    return out;
  });
  t.deepEqual(errs, ['ownership', 'ownership']);
  const outside = tab.as(system);
  t.throws(() => outside.setHeir(refs[1]!), { instanceOf: OwnershipError });
  t.throws(() => outside.drop(), { instanceOf: OwnershipError });
  await system.shutdown();
});

test('named tables: a clash is TableNameTakenError; whereis checks the type', async (t) => {
  const { system, refs } = await hosts(2);
  await inActor(refs[0]!, (self) => Ets.create<string, number>(self, { type: 'set', name: 'n1' }));
  const err = await inActor(refs[1]!, (self) => {
    try {
      Ets.create<string, number>(self, { type: 'bag', name: 'n1' });
    } catch (e) {
      return e;
    }
    return null;
  });
  t.true(err instanceof TableNameTakenError);
  t.throws(() => Ets.whereis(system, 'n1', 'bag'), { instanceOf: TableTypeError });
  t.is(Ets.whereis(system, 'nope', 'set'), undefined);
  t.deepEqual(Ets.names(system), ['n1']);
  await system.shutdown();
});

test('create outside an actor, or with bad options, is refused with a typed error', async (t) => {
  const { system, refs } = await hosts(1);
  t.throws(() => Ets.create(system as never, { type: 'set' }), { code: 'invalid_option' });
  const codes = await inActor(refs[0]!, (self) =>
    [{ type: 'hash' }, { type: 'set', access: 'open' }, { type: 'set', name: '' }, { type: 'set', heir: 5 }].map((o) => {
      try {
        Ets.create(self, o as never);
        return 'created';
      } catch (e) {
        return (e as { code?: string }).code;
      }
    }),
  );
  t.deepEqual(codes, ['invalid_option', 'invalid_option', 'invalid_option', 'invalid_option']);
  await system.shutdown();
});

test('right after the owner is killed (before its DOWN is handled) the table is gone and its name is free', async (t) => {
  const { system, refs } = await hosts(2);
  const tab = await inActor(refs[0]!, (self) => Ets.create<string, number>(self, { type: 'set', name: 'instant', access: 'public' }));
  system.exit(refs[0]!, 'kill');
  t.false(system.isAlive(refs[0]!));
  // No settle(): the same synchronous turn as the kill.
  t.is(Ets.whereis(system, 'instant', 'set'), undefined);
  t.false(tab.alive);
  t.deepEqual(Ets.names(system), []);
  await system.shutdown();
});

test('right after the owner is killed, a new table may take its name at once', async (t) => {
  const { system, refs } = await hosts(3);
  await inActor(refs[0]!, (self) => Ets.create<string, number>(self, { type: 'set', name: 'reborn' }));
  // refs[2] kills the owner and creates the same name in one synchronous step.
  const created = await inActor(refs[2]!, (self) => {
    self.system.exit(refs[0]!, 'kill');
    return Ets.create<string, number>(self, { type: 'set', name: 'reborn' }).isOwner;
  });
  t.true(created);
  await system.shutdown();
});

test('giveAway and setHeir refuse a non-ref (null, a lookalike { id }) alike, with core\'s one ref message', async (t) => {
  const { system, refs } = await hosts(1);
  const got = await inActor(refs[0]!, (self) => {
    const tab = Ets.create<string, number>(self, { type: 'set' });
    const messages: string[] = [];
    for (const bad of [null, { id: self.self.id }, 'x']) {
      try {
        tab.giveAway(bad as never, undefined);
        messages.push('given');
      } catch (e) {
        messages.push(`${(e as { code?: string }).code}: ${(e as Error).message}`);
      }
    }
    try {
      tab.setHeir({ id: self.self.id } as never);
    } catch (e) {
      messages.push(`${(e as { code?: string }).code}: ${(e as Error).message}`);
    }
    return { messages, isOwner: tab.isOwner };
  });
  t.deepEqual(got.messages, [
    'invalid_option: giveAway: to must be an ActorRef returned by spawn, got: null',
    'invalid_option: giveAway: to must be an ActorRef returned by spawn, got: an object',
    'invalid_option: giveAway: to must be an ActorRef returned by spawn, got: "x"',
    'invalid_option: setHeir: heir must be an ActorRef returned by spawn, or null for none, got: an object',
  ]);
  t.true(got.isOwner, 'a refused giveAway keeps the table');
  await system.shutdown();
});

test('an heir that is not an actor ref is refused at create and setHeir, so the owner exit still deletes the table', async (t) => {
  const { system, refs } = await hosts(1);
  const got = await inActor(refs[0]!, (self) => {
    const codes: unknown[] = [];
    try {
      Ets.create<string, number>(self, { type: 'set', name: 'h1', heir: { ref: 'keeper' as never } });
      codes.push('created');
    } catch (e) {
      codes.push((e as { code?: string }).code);
    }
    const tab = Ets.create<string, number>(self, { type: 'set', name: 'h2' });
    try {
      tab.setHeir({ id: 'x' } as never);
      codes.push('set');
    } catch (e) {
      codes.push((e as { code?: string }).code);
    }
    tab.setHeir(null);
    return codes;
  });
  t.deepEqual(got, ['invalid_option', 'invalid_option']);
  t.deepEqual(Ets.names(system), ['h2']);
  await system.stop(refs[0]!);
  await settle();
  t.deepEqual(Ets.names(system), []);
  await system.shutdown();
});
