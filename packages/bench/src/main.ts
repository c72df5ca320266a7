/**
 * `npm run bench [-- --json] [-- --quick]`: measures Arbor, the raw Node limit and
 * xstate on the same workloads in this one process, then prints a table (or, with
 * `--json`, one JSON object on stdout). Progress goes to stderr.
 */
import { cpus } from 'node:os';
import { renderJson, renderTable } from './report.js';
import { FULL, QUICK } from './sizes.js';
import { runWorkloads, workloads } from './workloads/index.js';

const USAGE = `usage: node --expose-gc dist/src/main.js [--json] [--quick] [--only NAME,NAME]
  --json   print one JSON object on stdout instead of the table
  --quick  small sizes, for smoke tests (figures are not comparable)
  --only   run only the named workloads (comma-separated), in the usual order`;

interface Options {
  readonly json: boolean;
  readonly quick: boolean;
  readonly only: readonly string[] | undefined;
}

function parseArgs(argv: readonly string[]): Options {
  let json = false;
  let quick = false;
  let only: string[] | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--json') json = true;
    else if (arg === '--only' || arg.startsWith('--only=')) {
      const list = arg === '--only' ? argv[++i] : arg.slice('--only='.length);
      only = (list ?? '').split(',').map((x) => x.trim()).filter((x) => x.length > 0);
      const unknown = only.filter((x) => !workloads.some((w) => w.name === x));
      if (only.length === 0 || unknown.length > 0) {
        process.stderr.write(`--only: unknown workload ${unknown.join(', ') || '(none given)'}; known: ${workloads.map((w) => w.name).join(', ')}\n`);
        process.exit(2);
      }
    }
    else if (arg === '--quick') quick = true;
    else if (arg === '--help' || arg === '-h') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else {
      process.stderr.write(`unknown argument: ${arg}\n${USAGE}\n`);
      process.exit(2);
    }
  }
  return { json, quick, only };
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  if (globalThis.gc === undefined) {
    process.stderr.write('warning: run node with --expose-gc (the bench script does); actor_bytes needs it\n');
  }
  const started = performance.now();
  const only = options.only;
  const selected = only === undefined ? workloads : workloads.filter((w) => only.includes(w.name));
  const results = await runWorkloads(options.quick ? QUICK : FULL, selected, (name) => {
    process.stderr.write(`bench: ${name} ...\n`);
  });
  const seconds = (performance.now() - started) / 1000;

  if (options.json) {
    process.stdout.write(`${renderJson(results)}\n`);
    return;
  }
  const cpu = cpus();
  const title = [
    `Arbor benchmark (${options.quick ? 'quick run: small sizes, figures not comparable' : 'full run'}), ${seconds.toFixed(1)} s`,
    `node ${process.version}, ${process.platform} ${process.arch}, ${cpu.length} CPU(s) ${cpu[0]?.model.trim() ?? ''}`.trimEnd(),
    'arbor, limit and peers measured side by side in this one process; ratios are arbor / reference.',
  ];
  process.stdout.write(`${renderTable(results, title)}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
