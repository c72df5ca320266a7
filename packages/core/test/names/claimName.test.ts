/**
 * A name provider whose registration is asynchronous (`claimName`, a cluster registry's
 * compare-and-set): spawn awaits the claim before init runs, and answers its outcomes as
 * the synchronous path does (claimed, held by another actor, a refusal), or gives the name
 * back when the system stopped during the claim.
 */
import test from 'ava';
import {
  AlreadyStartedError,
  call,
  GenServer,
  SystemStoppedError,
  via,
  type ActorRef,
  type Call,
  type NameProvider,
} from '../../src/index.js';
import { Counter, type CounterProtocol } from '../support/actors.js';
import { capturingSystem } from '../support/helpers.js';

/** A fake async provider: each claim waits until the test settles it. */
class AsyncNames implements NameProvider {
  readonly label = 'async';
  readonly held = new Map<unknown, ActorRef>();
  readonly pending: { key: unknown; ref: ActorRef; settle: (holder: ActorRef | undefined | Error) => void }[] = [];
  readonly unregistered: [unknown, ActorRef][] = [];
  syncCalls = 0;

  claimName(key: unknown, ref: ActorRef): Promise<ActorRef | undefined> {
    return new Promise((resolve, reject) => {
      this.pending.push({
        key,
        ref,
        settle: (outcome) => {
          if (outcome instanceof Error) reject(outcome);
          else {
            if (outcome === undefined) this.held.set(key, ref);
            resolve(outcome);
          }
        },
      });
    });
  }

  registerName(): ActorRef | undefined {
    this.syncCalls++;
    throw new Error('spawn must use claimName');
  }

  unregisterName(key: unknown, ref: ActorRef): void {
    this.unregistered.push([key, ref]);
    if (this.held.get(key) === ref) this.held.delete(key);
  }

  whereisName(key: unknown): ActorRef | undefined {
    return this.held.get(key);
  }

  keysOf(ref: ActorRef): readonly unknown[] {
    return [...this.held].filter(([, r]) => r === ref).map(([k]) => k);
  }
}

/** Records that its init ran. */
const inits: string[] = [];
class Named extends GenServer<CounterProtocol, number, string> {
  override init(tag: string): void {
    inits.push(tag);
    this.state = 0;
  }
  override handleCall(): number {
    return this.state;
  }
}

async function turns(n = 5): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
}

test.serial('claimed: init runs only after the claim, and the actor is live from then on', async (t) => {
  const { system } = capturingSystem();
  const names = new AsyncNames();
  inits.length = 0;
  const spawning = system.spawn(Named, 'a', { name: via(names, 'k') });
  await turns();
  t.is(names.pending.length, 1);
  const claim = names.pending[0]!;
  t.is(claim.key, 'k');
  t.deepEqual(inits, [], 'init waits for the claim');
  t.false(system.actors().includes(claim.ref), 'nobody sees the actor during the claim');
  claim.settle(undefined);
  const ref = await spawning;
  t.is(ref, claim.ref, 'the claimed ref is the spawned actor');
  t.deepEqual(inits, ['a']);
  t.true(system.isAlive(ref));
  t.is(system.whereis(via(names, 'k')), ref);
  t.is(await call(ref, { type: 'get' }), 0);
  t.is(names.syncCalls, 0, 'registerName is not called when claimName exists');
  await system.shutdown();
});

test.serial('held: the start answers AlreadyStartedError naming the holder, and the new actor never ran', async (t) => {
  const { system } = capturingSystem();
  const names = new AsyncNames();
  inits.length = 0;
  const holder = await system.spawn(Counter, 1);
  const spawning = system.spawn(Named, 'b', { name: via(names, 'k') });
  const started = system.start(Named, 'c', { name: via(names, 'k') });
  await turns();
  t.is(names.pending.length, 2);
  names.pending[0]!.settle(holder);
  names.pending[1]!.settle(holder);
  const e = await t.throwsAsync(spawning, { instanceOf: AlreadyStartedError });
  t.is(e?.existing, holder);
  t.is(e?.actorName, 'async:k');
  const r = await started;
  t.is(r.status, 'error');
  t.true(r.status === 'error' && r.reason instanceof AlreadyStartedError && r.reason.existing === holder);
  t.deepEqual(inits, []);
  t.false(system.isAlive(names.pending[0]!.ref));
  t.false(system.actors().includes(names.pending[0]!.ref));
  t.deepEqual(system.actors(), [holder]);
  await system.shutdown();
});

test.serial('a refusal (a rejected claim, or a claimName that throws) rejects the spawn with it; nothing is left behind', async (t) => {
  const { system } = capturingSystem();
  const names = new AsyncNames();
  inits.length = 0;
  const spawning = system.spawn(Named, 'd', { name: via(names, 'k') });
  await turns();
  const refused = new Error('store unreachable');
  names.pending[0]!.settle(refused);
  t.is(await t.throwsAsync(spawning), refused);

  const throwing: NameProvider = {
    label: 'throwing',
    claimName: () => {
      throw new Error('sync refusal');
    },
    registerName: () => undefined,
    unregisterName: () => {},
    whereisName: () => undefined,
    keysOf: () => [],
  };
  await t.throwsAsync(system.spawn(Named, 'e', { name: via(throwing, 'k') }), { message: 'sync refusal' });
  t.deepEqual(inits, []);
  t.deepEqual(system.actors(), []);
  t.false(system.isAlive(names.pending[0]!.ref));
  await system.shutdown();
});

test.serial('the system stopped during the claim: the name is given back and the spawn rejects with SystemStoppedError', async (t) => {
  const { system } = capturingSystem();
  const names = new AsyncNames();
  inits.length = 0;
  const spawning = system.spawn(Named, 'f', { name: via(names, 'k') });
  await turns();
  await system.shutdown();
  const claim = names.pending[0]!;
  claim.settle(undefined);
  await t.throwsAsync(spawning, { instanceOf: SystemStoppedError });
  t.deepEqual(names.unregistered, [['k', claim.ref]]);
  t.is(names.whereisName('k'), undefined);
  t.deepEqual(inits, []);
  t.false(system.isAlive(claim.ref));
});

test.serial('a linked spawn from an actor waits for the claim too, then links as usual', async (t) => {
  const { system } = capturingSystem();
  const names = new AsyncNames();
  inits.length = 0;
  class Parent extends GenServer<{ call: Call<'spawn', ActorRef> }, null> {
    override init(): void {
      this.state = null;
    }
    override async handleCall(): Promise<ActorRef> {
      return this.spawnLink(Named, 'child', { name: via(names, 'child') });
    }
  }
  const parent = await system.spawn(Parent, undefined);
  const asking = call(parent, { type: 'spawn' });
  await turns();
  names.pending[0]!.settle(undefined);
  const child = await asking;
  t.deepEqual(inits, ['child']);
  system.exit(parent, 'boom');
  t.false(system.isAlive(child), 'the child is linked to its parent');
  await system.shutdown();
});
