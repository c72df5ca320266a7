// Run as a child process by verifyStore: does to an LMDB file what the registry will do,
// in a throwaway process. A damaged file can crash the native binding (SIGSEGV, or SIGBUS
// when a page lies past the end of a truncated file), which must not take the application
// down, so the first open of a file happens here:
// 1. open it read-write, with the registry's options (storeOptions.ts);
// 2. read every page the registry can reach: every key and every raw value of the file's
//    databases (branch, leaf and overflow pages), then decode every value as the registry
//    does (a value that does not decode is reported, not a failure: the registry judges it);
// 3. with no read transaction of its own left open, commit a real write transaction on the
//    file itself (every record rewritten with its own bytes, plus a probe record), then a
//    second one removing the probe record: the write path reads the free-page list and
//    copies every page, as the application's writes will. (A write to a copy would not be
//    the same write: the copy has no readers, so LMDB would reuse other free pages than in
//    the shared file.)
// Exit 0 (stdout: `<records> <undecodable>`) if all of it worked; anything else is damage.
import { open } from 'lmdb';
import { registryStoreOptions } from './storeOptions.js';

const PROBE_KEY = '\u0000arbor-probe';

const path = process.argv[2];
if (path === undefined) process.exit(2);
process.on('unhandledRejection', (reason) => {
  process.stderr.write(`probe: unhandled rejection: ${String(reason)}\n`);
  process.exit(4);
});
/** Read every page, decode every value, then write. Returns the counts read. */
async function round(): Promise<{ records: number; undecodable: number; bytes: number }> {
  const raw = open({ path: path!, ...registryStoreOptions, encoding: 'binary', keyEncoding: 'binary' });
  const db = open({ path: path!, ...registryStoreOptions });
  let records = 0;
  let bytes = 0;
  for (const { key, value } of raw.getRange()) {
    records++;
    bytes += (key as Buffer).length + (value as Buffer).length;
  }
  let undecodable = 0;
  for (const key of db.getKeys()) {
    try {
      db.get(key);
    } catch {
      undecodable++;
    }
  }
  // No read transaction of ours may stay open across the write: a reader pins the free pages
  // of later transactions, and the write would then not reuse them as the application will.
  raw.resetReadTxn();
  db.resetReadTxn();
  // One transaction removes every record and writes it back with its own bytes (read inside
  // the transaction, under LMDB's write lock: a live application sharing the file loses
  // nothing): every page of the tree is freed into the free list (the application's cleanup
  // deletes records) and as many are allocated from it. Then a probe record is written
  // through the registry's encoding and removed.
  // (Synchronous transactions: the same LMDB write path as the registry's batched ones. The
  // probe record is written outside the rewrite: encoding it may save msgpackr structures,
  // itself a transaction of `db`, which must not nest in one of `raw`.)
  raw.transactionSync(() => {
    const all = [...raw.getRange()].map(({ key, value }) => [Buffer.from(key as Buffer), Buffer.from(value as Buffer)] as const);
    for (const [key] of all) raw.removeSync(key);
    for (const [key, value] of all) raw.putSync(key, value);
  });
  db.putSync(PROBE_KEY, 'probe');
  db.removeSync(PROBE_KEY);
  // And one batched write, as the registry writes.
  await db.put(PROBE_KEY, 'probe');
  await db.remove(PROBE_KEY);
  await db.close();
  await raw.close();
  return { records, undecodable, bytes };
}

const { records, undecodable, bytes } = await round();
process.stdout.write(`${records} ${undecodable} ${bytes}\n`);
