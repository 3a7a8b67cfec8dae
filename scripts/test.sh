#!/usr/bin/env bash
# npm test: install and build what is missing, lint and type-check, then run every Jest tier
# against a real Postgres and real Temporal servers started by scripts/test-stack/global-setup.ts.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
TEMPORAL_CLI_PATH="$(bash scripts/ensure-temporal-cli.sh)"
TEMPORAL_TEST_SERVER_PATH="$(bash scripts/ensure-temporal-test-server.sh)"
# The browser tier drives the system's Chromium (installed here as root when it is missing).
CHROMIUM_PATH="$(bash scripts/ensure-chromium.sh)"
export TEMPORAL_CLI_PATH TEMPORAL_TEST_SERVER_PATH CHROMIUM_PATH

echo "Type-checking, linting and checking formatting..." >&2
npx tsc -p tsconfig.json --noEmit
npx eslint .
npx prettier --check . --log-level warn

report="$(mktemp)"
status=0
NODE_OPTIONS="${NODE_OPTIONS:-} --experimental-vm-modules --no-warnings=ExperimentalWarning" npx jest --runInBand --json --outputFile="$report" "$@" || status=$?
# A plain closing line that CI readers understand, whatever Jest printed above it.
[ -s "$report" ] && node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  console.log(`jest: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped`);
' "$report" || true
rm -f "$report"
exit "$status"
