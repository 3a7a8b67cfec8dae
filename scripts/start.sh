#!/usr/bin/env bash
# npm start: install and build what is missing, then run Postgres, Temporal, migrations, the
# catalog seed, the worker and the API until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if [ -z "${TEMPORAL_ADDRESS:-}" ]; then
  TEMPORAL_CLI_PATH="$(bash scripts/ensure-temporal-cli.sh)"
  export TEMPORAL_CLI_PATH
fi
exec node --enable-source-maps dist/scripts/run-product.js
