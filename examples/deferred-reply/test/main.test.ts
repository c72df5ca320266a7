import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import test from 'ava';

const MAIN = fileURLToPath(new URL('../src/main.js', import.meta.url));

test('npm start runs the example to the end and exits 0', async (t) => {
  const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
    execFile(process.execPath, [MAIN], (error, out) => resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : null, stdout: out }));
  });
  t.is(code, 0, stdout);
  t.regex(stdout, /"bob admitted with ticket 2"/);
});
