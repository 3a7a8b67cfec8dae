#!/usr/bin/env bash
# Prints the path of a Chromium for the browser tests. Playwright's own browser download does not
# reach this kind of machine, so the tests drive the system's Chromium (Debian's `chromium`):
# CHROMIUM_PATH when set, else the one on PATH; as root, a missing one is installed with apt-get
# (CI runs as root on a clean Debian machine); otherwise the script stops and says what to install.
set -euo pipefail

if [ -n "${CHROMIUM_PATH:-}" ]; then
  [ -x "$CHROMIUM_PATH" ] || { echo "CHROMIUM_PATH=$CHROMIUM_PATH is not an executable" >&2; exit 1; }
  echo "$CHROMIUM_PATH"
  exit 0
fi

find_chromium() { command -v chromium || command -v chromium-browser || true; }

path="$(find_chromium)"
if [ -z "$path" ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    echo "Installing Chromium for the browser tests (apt-get install chromium, first run only)..." >&2
    export DEBIAN_FRONTEND=noninteractive
    # An old or missing package list finds nothing: refresh it once, then install.
    apt-get install -y --no-install-recommends chromium >&2 || { apt-get update >&2 && apt-get install -y --no-install-recommends chromium >&2; }
    path="$(find_chromium)"
  fi
fi
if [ -z "$path" ]; then
  cat >&2 <<'MSG'
The browser tests need Chromium, and none was found.
Install it with your system's package manager, e.g. on Debian or Ubuntu:
    sudo apt-get install chromium
or point CHROMIUM_PATH at a Chromium or Chrome executable.
MSG
  exit 1
fi
echo "$path"
