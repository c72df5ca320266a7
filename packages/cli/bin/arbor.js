#!/usr/bin/env node
// The `arbor` command. A committed file (not one in dist/) so that npm links it at install
// time, before the first build; the program itself is compiled to dist/src/bin.js.
try {
  await import('../dist/src/bin.js');
} catch (e) {
  if (e?.code !== 'ERR_MODULE_NOT_FOUND' || !String(e.message).includes('dist')) throw e;
  process.stderr.write('arbor: @arbor/cli is not built; run `npm run build` at the repository root\n');
  process.exitCode = 1;
}
