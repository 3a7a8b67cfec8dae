#!/usr/bin/env bash
# Installs and builds what the product needs, reusing whatever is already in place:
# npm packages (when the lock file changed), the Prisma client (when the schema changed),
# the TypeScript build (incremental), the workflow bundle and the Temporal CLI binary.
set -euo pipefail
cd "$(dirname "$0")/.."

stamp_dir=node_modules/.partner-orchestrator
lock_hash="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [ ! -f "$stamp_dir/lock-$lock_hash" ]; then
  echo "Installing npm packages..." >&2
  npm ci --no-audit --no-fund --loglevel=error >&2
  mkdir -p "$stamp_dir" && rm -f "$stamp_dir"/lock-* && touch "$stamp_dir/lock-$lock_hash"
fi

schema_hash="$(cat prisma/schema.prisma package-lock.json | sha256sum | cut -d' ' -f1)"
if [ ! -f "prisma/generated/.schema-$schema_hash" ]; then
  echo "Generating the Prisma client..." >&2
  # generate reads no database, but the schema's env("DATABASE_URL") must resolve.
  DATABASE_URL="${DATABASE_URL:-postgresql://localhost/unused}" npx prisma generate >/dev/null
  touch "prisma/generated/.schema-$schema_hash"
fi

echo "Building TypeScript..." >&2
npx tsc -p tsconfig.build.json
node dist/scripts/bundle-workflows.js >&2
