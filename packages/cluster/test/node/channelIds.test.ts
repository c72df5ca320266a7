import test from 'ava';
import { InboundIds, MAX_INTERNED_IDS, OutboundIds } from '../../src/node/ChannelIds.js';
import { CAST, CAST_AT, INFO_AT, NAME } from '../../src/node/frames.js';

test('the first cast to an actor in an epoch announces its id; later casts name it by index alone', (t) => {
  const out = new OutboundIds();
  t.deepEqual(out.castFrames(1, 'aaa', { n: 1 }, false), [[NAME, 0, 'aaa'], [CAST_AT, 0, { n: 1 }]]);
  t.deepEqual(out.castFrames(1, 'aaa', { n: 2 }, false), [[CAST_AT, 0, { n: 2 }]]);
  t.deepEqual(out.castFrames(1, 'bbb', 'x', true), [[NAME, 1, 'bbb'], [INFO_AT, 1, 'x']]);
  t.deepEqual(out.castFrames(1, 'aaa', 'y', true), [[INFO_AT, 0, 'y']]);
  t.deepEqual(out.castFrames(2, 'bbb', 'z', false), [[NAME, 0, 'bbb'], [CAST_AT, 0, 'z']], 'a new epoch starts an empty table');
});

test('past MAX_INTERNED_IDS targets, casts name their target in full', (t) => {
  const out = new OutboundIds();
  for (let i = 0; i < MAX_INTERNED_IDS; i++) out.castFrames(1, `id${i}`, 0, false);
  t.deepEqual(out.castFrames(1, 'one-more', 'm', false), [[CAST, 'one-more', 'm']]);
  t.deepEqual(out.castFrames(1, 'id7', 'm', false), [[CAST_AT, 7, 'm']]);
});

test('the receiving table: what was announced in this epoch, nothing of an earlier one, malformed names refused', (t) => {
  const names = new InboundIds();
  t.true(names.set(3, 0, 'aaa'));
  t.is(names.get(3, 0), 'aaa');
  t.is(names.get(3, 1), undefined);
  t.is(names.get(4, 0), undefined, 'a new epoch forgets');
  t.is(names.get(3, 0), undefined, 'and the old one is not back');
  for (const [index, id] of [[-1, 'x'], [1.5, 'x'], [MAX_INTERNED_IDS, 'x'], ['0', 'x'], [0, 7]] as const) t.false(names.set(5, index, id), `${String(index)} ${String(id)}`);
  t.is(names.get(5, '0'), undefined);
});
