import test from 'ava';
import { Behaviour, type Call } from '@arbor/core';
import { AccessDeniedError, Ets, type Access, type SetTable } from '../../src/index.js';
import { hosts, inActor, settle } from '../support/hosts.js';

type Who = 'owner' | 'other actor' | 'outside';
const expected: Record<Access, Record<Who, { read: boolean; write: boolean }>> = {
  public: { owner: { read: true, write: true }, 'other actor': { read: true, write: true }, outside: { read: true, write: true } },
  protected: { owner: { read: true, write: true }, 'other actor': { read: true, write: false }, outside: { read: true, write: false } },
  private: { owner: { read: true, write: true }, 'other actor': { read: false, write: false }, outside: { read: false, write: false } },
};

function tryOp(fn: () => unknown): boolean | 'other' {
  try {
    fn();
    return true;
  } catch (e) {
    return e instanceof AccessDeniedError ? false : 'other';
  }
}

for (const access of ['public', 'protected', 'private'] as const) {
  test(`access matrix: ${access}`, async (t) => {
    const { system, refs } = await hosts(2);
    const [owner, other] = refs as [(typeof refs)[0], (typeof refs)[0]];
    const name = `m-${access}`;
    await inActor(owner, (self) => {
      Ets.create<string, number>(self, { type: 'set', name, access }).insert('k', 1);
    });
    // Each party opens the named table with its own identity and tries a read and a write.
    const attempt = (tab: SetTable<string, number>) => ({
      read: tryOp(() => tab.lookup('k')),
      write: tryOp(() => tab.insert('k', 2)),
    });
    const got: Record<Who, unknown> = {
      owner: await inActor(owner, (self) => attempt(Ets.whereis<string, number>(self, name, 'set')!)),
      'other actor': await inActor(other, (self) => attempt(Ets.whereis<string, number>(self, name, 'set')!)),
      outside: attempt(Ets.whereis<string, number>(system, name, 'set')!),
    };
    t.deepEqual(got, expected[access]);
    await system.shutdown();
  });
}

test("an owner's handle keeps its rights after an await inside the owner's async handler", async (t) => {
  const { system, refs } = await hosts(1);
  const value = await inActor(refs[0]!, async (self) => {
    const tab = Ets.create<string, number>(self, { type: 'set', access: 'private' });
    await new Promise((r) => setTimeout(r, 5));
    tab.insert('a', 1);
    await Promise.resolve();
    return tab.lookup('a');
  });
  t.is(value, 1);
  await system.shutdown();
});

test("a non-owner cannot gain the owner's rights: as(ctx) binds the handle to the caller", async (t) => {
  const { system, refs } = await hosts(2);
  const ownerHandle = await inActor(refs[0]!, (self) => Ets.create<string, number>(self, { type: 'set', access: 'protected' }));
  const err = await inActor(refs[1]!, (self) => {
    try {
      ownerHandle.as(self).insert('a', 1);
      return null;
    } catch (e) {
      return e;
    }
  });
  t.true(err instanceof AccessDeniedError);
  t.true(ownerHandle.as(system).boundTo === null, 'a system gives an outside handle');
  t.throws(() => ownerHandle.as({ self: refs[0]!, system } as never), { code: 'invalid_option' }, 'a lookalike context is refused');
  t.throws(() => ownerHandle.as(system).insert('a', 1), { instanceOf: AccessDeniedError });
  await system.shutdown();
});

test('any behaviour kind can own a table, not only a GenServer (the context is a Behaviour)', async (t) => {
  // A behaviour written on the extension API directly: it creates a private table in onInit.
  class Holder extends Behaviour<{ call: Call<'size', number> }, SetTable<string, number>> {
    override onInit(): void {
      this.state = Ets.create<string, number>(this, { type: 'set', name: 'behaviour-owned', access: 'private' });
      this.state.insert('a', 1);
    }
    override onCall(): number {
      return this.state.size();
    }
  }
  const { system } = await hosts(0);
  const ref = await system.spawn(Holder, undefined);
  t.is(await system.call(ref, { type: 'size' }), 1);
  t.throws(() => Ets.whereis<string, number>(system, 'behaviour-owned', 'set')!.lookup('a'), { instanceOf: AccessDeniedError });
  await system.stop(ref);
  await settle();
  t.is(Ets.whereis(system, 'behaviour-owned', 'set'), undefined, 'the table went with its owner');
  await system.shutdown();
});
