#!/usr/bin/env bash
# npm run fuzz: install and build what is missing (schemathesis into a cached virtualenv), then
# fuzz the OpenAPI document of a scratch product with the admin, reviewer and partner keys.
# FUZZ_MAX_EXAMPLES (default 1000), FUZZ_KEYS (reviewer,partner,admin), FUZZ_WORKERS (1), FUZZ_SEED,
# FUZZ_PATHS (a regular expression: only the paths it matches).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
TEMPORAL_CLI_PATH="$(bash scripts/ensure-temporal-cli.sh)"
SCHEMATHESIS_PATH="$(bash scripts/ensure-schemathesis.sh)"
export TEMPORAL_CLI_PATH SCHEMATHESIS_PATH
# The driver stops the product and schemathesis on its way out, Ctrl-C included.
exec node --enable-source-maps dist/scripts/fuzz.js
