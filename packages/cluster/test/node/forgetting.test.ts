/**
 * What a long-running node forgets: interned refs nobody holds any more (held weakly, so
 * dead actors of other nodes cost nothing once dropped), and peers that are down, silent and
 * have nothing left across them.
 */
import test from 'ava';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { sleep } from '@arbor/test-support';
import type { Cluster } from '../../src/index.js';
import { Peer } from '../../src/node/Peer.js';
import { RefTable } from '../../src/node/RefTable.js';

setFlagsFromString('--expose_gc');
const gc = runInNewContext('gc') as () => void;

test('an interned ref is the same object while held, and its entry goes once nobody holds it', async (t) => {
  const table = new RefTable('a~1', { self: { name: 'a' } } as unknown as Cluster);
  const kept = table.ref('b~1', 'kept');
  for (let i = 0; i < 2000; i++) table.ref('b~1', `gone-${i}`);
  t.is(table.internedCount, 2001);
  for (let i = 0; i < 20 && table.internedCount > 1; i++) {
    gc();
    await sleep(10);
  }
  t.is(table.internedCount, 1, 'only the ref still held is left');
  t.is(table.ref('b~1', 'kept'), kept, 'a held ref keeps its identity');
});

test('a peer is forgettable only when down, silent past the horizon, and with nothing left across it', (t) => {
  const peer = new Peer('b~1', 0);
  t.false(peer.forgettable(100_000, 1000), 'pending: not yet');
  peer.state = 'up';
  t.false(peer.forgettable(100_000, 1000), 'up: never');
  peer.state = 'down';
  t.false(peer.forgettable(500, 1000), 'down, but heard within the horizon');
  t.true(peer.forgettable(1000, 1000));
  peer.calls.set(1, { ref: {} as never, resolve: () => {}, reject: () => {}, timer: undefined });
  t.false(peer.forgettable(100_000, 1000), 'a call still pending on it');
});
