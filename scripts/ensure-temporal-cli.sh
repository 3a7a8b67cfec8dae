#!/usr/bin/env bash
# Puts the Temporal CLI (dev server) binary in a per-version cache outside the clone and
# prints its path. Builds it from its Go module only when the cached binary is absent, so a
# fresh clone, CI and later clones all reuse one build.
set -euo pipefail

version="${TEMPORAL_CLI_VERSION:-v1.5.1}"
cache_root="${PARTNER_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/partner-orchestrator}"
target_dir="$cache_root/temporal-cli/$version"
binary="$target_dir/temporal"

if [ ! -x "$binary" ]; then
  mkdir -p "$target_dir"
  exec 9>"$target_dir/.lock"
  flock 9
  if [ ! -x "$binary" ]; then
    command -v go >/dev/null || { echo "go is required to build the Temporal CLI" >&2; exit 1; }
    echo "Building Temporal CLI $version from its Go module (first run only; several minutes)..." >&2
    build_dir="$(mktemp -d)"
    GOBIN="$build_dir" go install "github.com/temporalio/cli/cmd/temporal@$version" >&2
    mv "$build_dir/temporal" "$binary"
    rmdir "$build_dir"
  fi
fi
echo "$binary"
