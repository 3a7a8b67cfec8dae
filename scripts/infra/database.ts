import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createPrismaClient } from '../../lib/database';
import { repoRoot } from '../../lib/paths';
import { seedCatalog } from '../../prisma/seed';

const run = promisify(execFile);

/** Applies committed migrations, then publishes catalog versions the database lacks. */
export async function migrateAndSeed(databaseUrl: string): Promise<{ published: string[] }> {
  const root = repoRoot();
  await run(join(root, 'node_modules', '.bin', 'prisma'), ['migrate', 'deploy'], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: databaseUrl },
  });
  const prisma = createPrismaClient(databaseUrl, 2);
  try {
    return { published: await seedCatalog(prisma) };
  } finally {
    await prisma.$disconnect();
  }
}
