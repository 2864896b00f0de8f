#!/usr/bin/env bash
# Builds the Pulumi CLI this repository tests against from its Go modules, once, into a cache folder
# outside the repository, and prints that folder's bin directory (put it first on PATH).
#
#   PATH="$(scripts/pulumi-cli.sh):$PATH"
#
# The release is the one tools/pulumi-cli/go.mod requires. The folder also gets the two plugins the
# engine looks for beside the CLI: pulumi-resource-pulumi-nodejs (the dynamic-provider launcher) and
# a pulumi-language-nodejs stand-in (see tools/pulumi-cli/pulumi-language-nodejs.js for why).
# Idempotent: a cached CLI that reports the pinned version is reused; the plugins are refreshed.
# Cache root: $PULUMI_TRUTO_ACCESS_CACHE, else ${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-truto-access.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
module="$repo/tools/pulumi-cli"
version=$(awk '$1 == "github.com/pulumi/pulumi/pkg/v3" { print $2; exit }' "$module/go.mod")
if [[ -z "$version" ]]; then
  echo "pulumi-cli.sh: tools/pulumi-cli/go.mod does not require github.com/pulumi/pulumi/pkg/v3" >&2
  exit 1
fi
cache="${PULUMI_TRUTO_ACCESS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-truto-access}"
bin="$cache/pulumi-$version/bin"
mkdir -p "$bin"

if [[ -x "$bin/pulumi" ]] && [[ "$("$bin/pulumi" version 2>/dev/null)" == "$version" ]]; then
  echo "pulumi-cli.sh: reusing Pulumi CLI $version from the cache" >&2
else
  if ! command -v go >/dev/null; then
    echo "pulumi-cli.sh: Go is needed to build the Pulumi CLI $version and is not on PATH" >&2
    exit 1
  fi
  echo "pulumi-cli.sh: building Pulumi CLI $version from its Go modules (several minutes, once)…" >&2
  started=$SECONDS
  tmp="$bin/.pulumi.$$"
  trap 'rm -f "$tmp"' EXIT
  # -mod=readonly: go.sum pins every module, so a build never resolves something new.
  (cd "$module" && go build -mod=readonly -trimpath \
    -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$version" \
    -o "$tmp" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi)
  mv -f "$tmp" "$bin/pulumi"
  trap - EXIT
  echo "pulumi-cli.sh: built in $((SECONDS - started)) s" >&2
fi

install -m 0755 "$module/pulumi-resource-pulumi-nodejs" "$bin/pulumi-resource-pulumi-nodejs"
install -m 0755 "$module/pulumi-language-nodejs.js" "$bin/pulumi-language-nodejs"
echo "$bin"
