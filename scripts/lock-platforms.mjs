// Restores lockfile entries for platform binaries this machine's registry cannot serve.
// The registry reachable here 404s non-Linux optional binaries (e.g. @turbo/darwin-64, and
// some of lmdb's / msgpackr-extract's), so `npm install` leaves them out of package-lock.json
// and `npm ci` then rejects the lock as out of sync. Run `node scripts/lock-platforms.mjs`
// after any `npm install` that rewrote it. It fills in macOS and Windows binaries, and Linux
// ones for other CPUs (e.g. linux-arm); the entries are restricted by os/cpu, so npm never
// fetches them here.
import { readFileSync, writeFileSync } from 'node:fs';

const path = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(path, 'utf8'));
const pkgs = lock.packages;
let added = 0;
for (const [key, entry] of Object.entries(pkgs)) {
  for (const [dep, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const at = `node_modules/${dep}`;
    if (pkgs[at] !== undefined) continue;
    const os = /darwin/.test(dep) ? ['darwin'] : /win32|windows/.test(dep) ? ['win32'] : /linux/.test(dep) ? ['linux'] : null;
    if (os === null) continue; // only other-platform binaries are filled in
    const cpu = /arm64/.test(dep) ? ['arm64'] : /-arm(?!64)/.test(dep) ? ['arm'] : ['x64'];
    // A Linux binary for this machine's own cpu must come from the registry, never a stub.
    if (os[0] === 'linux' && cpu[0] === process.arch) continue;
    pkgs[at] = { version, cpu, ...(entry.dev ? { dev: true } : {}), optional: true, os };
    added++;
    console.log(`added ${at}@${version} (${os}/${cpu}) for ${key || 'root'}`);
  }
}
if (added > 0) {
  lock.packages = Object.fromEntries(Object.entries(pkgs).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b, 'en'))));
  writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
}
console.log(`lock-platforms: ${added} entr${added === 1 ? 'y' : 'ies'} added`);
