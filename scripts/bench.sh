#!/usr/bin/env bash
# npm run bench [-- renewal-storm | directory]: build what is missing, then run every script in
# bench/ (or the one named) against its own fresh embedded Postgres (and Temporal dev server for
# the renewal storm). Each prints a ratio against a baseline of the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
benches=("${@:-renewal-storm directory}")
for bench in ${benches[*]}; do
  case "$bench" in
    renewal-storm)
      TEMPORAL_CLI_PATH="$(bash scripts/ensure-temporal-cli.sh)"
      export TEMPORAL_CLI_PATH
      node --enable-source-maps dist/bench/renewal-storm.js
      ;;
    directory) node --enable-source-maps dist/bench/directory.js ;;
    *)
      echo "unknown bench: $bench (renewal-storm, directory)" >&2
      exit 2
      ;;
  esac
done
