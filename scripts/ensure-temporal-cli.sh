#!/usr/bin/env bash
# Prints the path of the Temporal CLI (dev server) binary, building it from its Go module into
# the cache outside the clone only when that version is not there yet.
set -euo pipefail
source "$(dirname "$0")/cached-tool.sh"

version="${TEMPORAL_CLI_VERSION:-v1.5.1}"

build_temporal_cli() {
  command -v go >/dev/null || { echo "go is required to build the Temporal CLI" >&2; exit 1; }
  echo "Building Temporal CLI $version from its Go module (first run only; several minutes)..." >&2
  local build_dir
  build_dir="$(mktemp -d)"
  GOBIN="$build_dir" go install "github.com/temporalio/cli/cmd/temporal@$version" >&2
  mv "$build_dir/temporal" "$1/temporal"
  rmdir "$build_dir"
}

cached_tool temporal-cli "$version" temporal build_temporal_cli
