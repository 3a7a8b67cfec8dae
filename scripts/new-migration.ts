import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../lib/paths';
import { freePort } from './infra/ports';
import { startEmbeddedPostgres } from './infra/postgres';

const run = promisify(execFile);

/**
 * Creates prisma/migrations/<timestamp>_<name>/ from the difference between the datamodel
 * saved beside the newest migration (the only snapshot kept) and prisma/schema.prisma. `prisma migrate dev` is
 * unreliable with the js schema engine; the schema engine still wants a reachable database,
 * so a throwaway embedded Postgres serves when DATABASE_URL is unset.
 */
async function main(): Promise<void> {
  const name = process.argv[2] ?? '';
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error('usage: npm run db:migration -- <snake_case_name>');
  const root = repoRoot();
  const migrationsDir = join(root, 'prisma', 'migrations');
  const latest = existsSync(migrationsDir)
    ? readdirSync(migrationsDir)
        .filter((entry) => /^\d{14}_/.test(entry))
        .sort()
        .pop()
    : undefined;
  const from = latest ? ['--from-schema-datamodel', join(migrationsDir, latest, 'schema.prisma')] : ['--from-empty'];

  const scratch = mkdtempSync(join(tmpdir(), 'migration-'));
  const postgres = process.env.DATABASE_URL
    ? undefined
    : await startEmbeddedPostgres({ dir: scratch, port: await freePort(), database: 'scratch', persistent: false });
  try {
    const { stdout: sql } = await run(
      join(root, 'node_modules', '.bin', 'prisma'),
      ['migrate', 'diff', ...from, '--to-schema-datamodel', 'prisma/schema.prisma', '--script'],
      { cwd: root, env: { ...process.env, DATABASE_URL: process.env.DATABASE_URL ?? postgres?.databaseUrl } },
    );
    if (!sql.split('\n').some((line) => line.trim() && !line.startsWith('--'))) {
      console.log(`No schema change since ${latest ?? 'the empty database'}.`);
      return;
    }
    const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
    const target = join(migrationsDir, `${stamp}_${name}`);
    mkdirSync(target, { recursive: true });
    writeFileSync(join(target, 'migration.sql'), sql);
    // The datamodel snapshot moves with the newest migration: the next diff starts from it, and older ones would only mislead.
    cpSync(join(root, 'prisma', 'schema.prisma'), join(target, 'schema.prisma'));
    if (latest) rmSync(join(migrationsDir, latest, 'schema.prisma'), { force: true });
    const lockFile = join(migrationsDir, 'migration_lock.toml');
    if (!existsSync(lockFile)) writeFileSync(lockFile, 'provider = "postgresql"\n');
    console.log(`Created ${target}`);
  } finally {
    await postgres?.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
