#!/usr/bin/env bash
# Builds actionlint (the GitHub Actions workflow linter `npm test` runs over examples/gitops) from its Go
# module, once, into a cache folder outside the repository, and prints that folder's bin directory (put it
# first on PATH).
#
#   PATH="$(scripts/actionlint.sh):$PATH"
#
# The release is the one tools/actionlint/go.mod requires; go.sum pins every module it builds from.
# Idempotent: a cached actionlint that reports the pinned version is reused.
# Cache root: $PULUMI_TRUTO_ACCESS_CACHE, else ${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-truto-access
# (the same root scripts/pulumi-cli.sh uses).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
module="$repo/tools/actionlint"
version=$(awk '$1 == "github.com/rhysd/actionlint" { print $2; exit }' "$module/go.mod")
if [[ -z "$version" ]]; then
  echo "actionlint.sh: tools/actionlint/go.mod does not require github.com/rhysd/actionlint" >&2
  exit 1
fi
cache="${PULUMI_TRUTO_ACCESS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-truto-access}"
bin="$cache/actionlint-$version/bin"
mkdir -p "$bin"

# `actionlint -version` prints the version on its first line, then how it was installed.
if [[ -x "$bin/actionlint" ]] && [[ "$("$bin/actionlint" -version 2>/dev/null | head -n 1)" == "$version" ]]; then
  echo "actionlint.sh: reusing actionlint $version from the cache" >&2
else
  if ! command -v go >/dev/null; then
    echo "actionlint.sh: Go is needed to build actionlint $version and is not on PATH" >&2
    exit 1
  fi
  echo "actionlint.sh: building actionlint $version from its Go module…" >&2
  started=$SECONDS
  tmp="$bin/.actionlint.$$"
  trap 'rm -f "$tmp"' EXIT
  # -mod=readonly: go.sum pins every module, so a build never resolves something new. The version is set
  # the way actionlint's own release build sets it; a build as a tool would otherwise report "(devel)".
  (cd "$module" && go build -mod=readonly -trimpath \
    -ldflags "-s -w -X github.com/rhysd/actionlint.version=$version" \
    -o "$tmp" github.com/rhysd/actionlint/cmd/actionlint)
  mv -f "$tmp" "$bin/actionlint"
  trap - EXIT
  echo "actionlint.sh: built in $((SECONDS - started)) s" >&2
fi

echo "$bin"
