#!/usr/bin/env bash
# Lints every publishable package as it would be published: publint (package.json against
# what `npm pack` ships) and @arethetypeswrong/cli (the types resolve for ESM consumers;
# the packages are ESM-only, so the CJS and node10 rows are ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
for dir in packages/*/; do
  if node -e "process.exit(require('./${dir}package.json').private ? 0 : 1)"; then continue; fi
  echo "== ${dir}"
  (cd "$dir" && npx --no-install publint --strict && npx --no-install attw --pack . --profile esm-only --format ascii)
done
