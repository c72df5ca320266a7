// Run as a child process by verifyStore: opens an LMDB file and reads every entry. A
// corrupt file can crash the native binding (a segmentation fault), which must not take
// the application down, so the first open of a file happens here, in a throwaway process.
import { open } from 'lmdb';
import { registryFileOptions } from './storeOptions.js';

const path = process.argv[2];
if (path === undefined) process.exit(2);
const db = open({ path, ...registryFileOptions, readOnly: true });
let n = 0;
for (const _ of db.getRange()) n++;
await db.close();
process.stdout.write(`${n}\n`);
