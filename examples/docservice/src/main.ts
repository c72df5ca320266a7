/**
 * The service process: `node dist/src/main.js [--port N] [--registry PATH] [--faults DIR]
 * [--no-pdeathsig] [--stop-on-stdin-eof] [--observer]`. Starts the document service, then writes one
 * JSON line to stdout (`{"ready":true, "port":..., "endpoint":..., "pid":...,
 * "python":..., "observerUrl":..., "swept":[...]}`) for whoever started it; its logs go to stderr. SIGINT or
 * SIGTERM stop the tree in order and exit 0; so does the end of stdin with
 * `--stop-on-stdin-eof` (the demo starts it so: if the demo dies, the service stops).
 */
import { startDocService } from './app/docService.js';

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i === -1 ? undefined : process.argv[i + 1];
}

const port = flag('--port');
const registryPath = flag('--registry');
const faultsDir = flag('--faults');
const service = await startDocService({
  ...(port !== undefined ? { port: Number(port) } : {}),
  ...(registryPath !== undefined ? { registryPath } : {}),
  ...(faultsDir !== undefined ? { faultsDir } : {}),
  pdeathsig: !process.argv.includes('--no-pdeathsig'),
  observer: process.argv.includes('--observer'),
});
const swept = (service.sweep?.orphans ?? []).map((o) => ({ pid: o.osPid, workerId: o.workerId, outcome: o.outcome }));
process.stdout.write(`${JSON.stringify({ ready: true, pid: process.pid, port: service.port, endpoint: service.endpoint, observerUrl: service.observerUrl, python: service.python, swept })}\n`);
if (process.argv.includes('--stop-on-stdin-eof')) {
  process.stdin.on('end', () => void service.app.stop().then((result) => process.exit(result === 'stopped' ? 0 : 1)));
  process.stdin.resume();
}
