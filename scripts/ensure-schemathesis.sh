#!/usr/bin/env bash
# Prints the path of the schemathesis CLI, installing that pinned version from PyPI into a
# virtual environment in the cache outside the clone only when it is not there yet.
set -euo pipefail
source "$(dirname "$0")/cached-tool.sh"

version="${SCHEMATHESIS_VERSION:-4.32.5}"

build_schemathesis() {
  local python
  python="$(command -v python3 || true)"
  [ -n "$python" ] || { echo "python3 (3.9 or later, with venv) is required to install schemathesis" >&2; exit 1; }
  echo "Installing schemathesis $version into $1/venv (first run only)..." >&2
  rm -rf "$1/venv"
  "$python" -m venv "$1/venv" >&2
  "$1/venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$version" >&2
  # The entry point the cache checks for, written last so a failed install is retried next time.
  ln -sf venv/bin/schemathesis "$1/schemathesis"
}

cached_tool schemathesis "$version" schemathesis build_schemathesis
