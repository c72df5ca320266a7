#!/usr/bin/env bash
# Builds a small application outside the monorepo from `npm pack` tarballs, as a user would:
# each package installs from its own tarball (sibling ranges, prepack builds), the app's
# types check with skipLibCheck off (tsc's default), and it runs. Needs the npm registry for
# the packages' own dependencies.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/tarballs" "$work/app"
for p in core debug ets xstate process-registry worker-profiles pool cli; do
  (cd "$repo/packages/$p" && npm pack --silent --pack-destination "$work/tarballs" >/dev/null)
done
cp "$repo/scripts/consumer/app.ts" "$repo/scripts/consumer/tsconfig.json" "$work/app/"
cd "$work/app"
ts=$(node -p "require('$repo/node_modules/typescript/package.json').version")
types=$(node -p "require('$repo/node_modules/@types/node/package.json').version")
xs=$(node -p "require('$repo/node_modules/xstate/package.json').version")
cat > package.json <<JSON
{ "name": "arbor-consumer", "private": true, "type": "module",
  "dependencies": {
    "@arbor/core": "file:../tarballs/arbor-core-0.1.0.tgz",
    "@arbor/debug": "file:../tarballs/arbor-debug-0.1.0.tgz",
    "@arbor/ets": "file:../tarballs/arbor-ets-0.1.0.tgz",
    "@arbor/xstate": "file:../tarballs/arbor-xstate-0.1.0.tgz",
    "@arbor/process-registry": "file:../tarballs/arbor-process-registry-0.1.0.tgz",
    "@arbor/worker-profiles": "file:../tarballs/arbor-worker-profiles-0.1.0.tgz",
    "@arbor/pool": "file:../tarballs/arbor-pool-0.1.0.tgz",
    "@arbor/cli": "file:../tarballs/arbor-cli-0.1.0.tgz",
    "xstate": "$xs" },
  "devDependencies": { "typescript": "$ts", "@types/node": "$types" } }
JSON
npm install --no-audit --no-fund --loglevel=error >/dev/null
npx --no-install tsc -p tsconfig.json
node dist/app.js
npx --no-install arbor --help >/dev/null
# Every relative link in an installed package's README points at a file the tarball ships.
node -e '
const fs = require("fs"), path = require("path");
let bad = 0;
for (const name of ["core", "debug", "ets", "xstate", "process-registry", "worker-profiles", "pool", "cli"]) {
  const dir = path.join("node_modules/@arbor", name);
  const text = fs.readFileSync(path.join(dir, "README.md"), "utf8");
  for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
    const target = m[1].split("#")[0];
    if (target === "" || /^[a-z]+:/.test(target)) continue;
    if (!fs.existsSync(path.join(dir, target))) { console.error(`@arbor/${name} README links ${m[1]}, which the package does not ship`); bad++; }
  }
}
process.exit(bad === 0 ? 0 : 1);
'
echo "consumer-check: installed from tarballs, README links resolve, type-checked with skipLibCheck false, ran"
