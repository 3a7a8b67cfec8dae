#!/usr/bin/env bash
# npm run bench: build what is missing, then run every script in bench/ against its own fresh
# embedded Postgres and Temporal dev server. Each prints a ratio against a baseline of the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
TEMPORAL_CLI_PATH="$(bash scripts/ensure-temporal-cli.sh)"
export TEMPORAL_CLI_PATH
node --enable-source-maps dist/bench/renewal-storm.js
