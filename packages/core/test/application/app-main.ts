/**
 * A real application process for application.test.ts: starts a tree of trapping workers
 * that print their stops, prints `ready`, and waits for a signal.
 * argv: <mode> where mode is `ordered` or `hang` (one child never finishes terminate).
 */
import { childSpec, GenServer, startApplication, Supervisor } from '../../src/index.js';

class Printer extends GenServer<{}, string, { id: string; hang: boolean }> {
  hang = false;
  override init(arg: { id: string; hang: boolean }): void {
    this.state = arg.id;
    this.hang = arg.hang;
    this.trapExit(true);
    process.stdout.write(`start ${arg.id}\n`);
  }
  override terminate(reason: unknown): Promise<void> | void {
    process.stdout.write(`stop ${this.state} ${String(reason)}\n`);
    if (this.hang) return new Promise(() => {});
  }
}

const mode = process.argv[2] ?? 'ordered';
const worker = (id: string, hang = false) => childSpec(Printer, { id, hang }, { id, shutdown: 60_000 });
const app = await startApplication(
  {
    strategy: 'one_for_one',
    children: [worker('a'), Supervisor.childSpec({ strategy: 'one_for_all', children: [worker('b1'), worker('b2', mode === 'hang')] }, { id: 'b' }), worker('c')],
  },
  { name: 'fixture', shutdownTimeout: mode === 'hang' ? 300 : 10_000 },
);
void app.exited.then((r) => process.stdout.write(`exited ${String(r)}\n`));
process.stdout.write('ready\n');
// Keep the process alive until a signal stops the application.
setInterval(() => {}, 1 << 30);
