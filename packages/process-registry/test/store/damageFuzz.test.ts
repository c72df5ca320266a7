import test from 'ava';
import { copyFileSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { movedAside, openInChild, recordWorkers } from '../support/appProcess.js';
import { cleanUpFile, isRunning, tempStorePath } from '../support/helpers.js';

test.after.always(cleanUpFile);

/** mulberry32: a small seeded PRNG, so a failing case can be replayed with ARBOR_FUZZ_SEED. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const CASES = 24;
const PARALLEL = 3;
/** LMDB's two meta pages (4 KiB each): damage there is the header check's and the older tests' case. */
const META = 8192;

type Damage = { readonly kind: 'flip'; readonly offsets: number[] } | { readonly kind: 'truncate'; readonly to: number };

function damage(path: string, random: () => number, kind: Damage['kind']): Damage {
  const size = statSync(path).size;
  if (kind === 'truncate') {
    const to = Math.floor(size * (0.2 + 0.75 * random()));
    truncateSync(path, to);
    return { kind, to };
  }
  const bytes = readFileSync(path);
  const offsets: number[] = [];
  for (let i = 0; i < 24; i++) {
    const at = META + Math.floor(random() * (size - META));
    bytes[at] = Math.floor(random() * 256);
    offsets.push(at);
  }
  writeFileSync(path, bytes);
  return { kind, offsets };
}

test(`fuzz: ${CASES} registry files with live orphans, damaged at random (byte flips, truncations), each opened by an application process: it never dies, the file is used or moved aside, no orphan survives`, async (t) => {
  const seed = Number(process.env['ARBOR_FUZZ_SEED'] ?? Date.now() % 2 ** 31);
  t.log(`seed ${seed} (replay: ARBOR_FUZZ_SEED=${seed})`);
  console.log(`damageFuzz seed ${seed}`);
  const random = prng(seed);
  const plans = Array.from({ length: CASES }, (_, i) => ({ i, kind: (i % 2 === 0 ? 'flip' : 'truncate') as Damage['kind'], seed: Math.floor(random() * 2 ** 31) }));
  const outcomes = { used: 0, movedAside: 0 };
  const one = async (plan: (typeof plans)[number]): Promise<void> => {
    const path = tempStorePath();
    const app = await recordWorkers(path, 2);
    await app.kill();
    const what = damage(path, prng(plan.seed), plan.kind);
    if (process.env['ARBOR_FUZZ_KEEP'] !== undefined) copyFileSync(path, `${process.env['ARBOR_FUZZ_KEEP']}/case-${plan.i}.mdb`);
    const label = `case ${plan.i} (seed ${seed}, ${JSON.stringify(what)})`;
    const run = await openInChild(path);
    t.is(run.signal, null, `${label}: the application died by a signal: ${run.stderr}`);
    t.is(run.code, 0, `${label}: exit code ${run.code} (3: an unhandled rejection): ${JSON.stringify(run.out)} ${run.stderr}`);
    t.is(run.out?.['reserved'], 'reserved', `${label}: the application did not go on: ${JSON.stringify(run.out)}`);
    const moved = movedAside(path).length;
    t.true(moved <= 1, label);
    outcomes[moved === 1 ? 'movedAside' : 'used']++;
    t.deepEqual(app.all.filter(isRunning), [], `${label}: orphans left running (of ${JSON.stringify(app.all)}): ${JSON.stringify(run.out)}`);
  };
  const only = process.env['ARBOR_FUZZ_CASE']; // replay one case: ARBOR_FUZZ_SEED=s ARBOR_FUZZ_CASE=i
  if (only !== undefined) plans.splice(0, plans.length, plans[Number(only)]!);
  for (let i = 0; i < plans.length; i += PARALLEL) await Promise.all(plans.slice(i, i + PARALLEL).map(one));
  t.log(`used as is: ${outcomes.used}, moved aside: ${outcomes.movedAside}`);
  t.is(outcomes.used + outcomes.movedAside, plans.length);
});
