import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createPrismaClient } from '../lib/database';
import { repoRoot } from '../lib/paths';
import { checkInvariants, INVARIANTS } from '../queries/invariants';
import { embeddedDatabaseUrl, PRODUCT_DATABASE } from './infra/postgres';

/**
 * npm run verify [-- --partner <id> ...] [--only <invariant> ...]: checks the invariants over
 * `DATABASE_URL`, or over the database of the product `npm start` runs here, and prints every
 * violation. Exits 1 when one is found, 2 when the database cannot be read.
 */
async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { partner: { type: 'string', multiple: true }, only: { type: 'string', multiple: true } },
  });
  const unknown = (values.only ?? []).filter((name) => !INVARIANTS.some((invariant) => invariant.name === name));
  if (unknown.length) {
    console.error(`Unknown invariant ${unknown.join(', ')}; there are: ${INVARIANTS.map((invariant) => invariant.name).join(', ')}`);
    return 2;
  }
  const env = process.env;
  const databaseUrl =
    env.DATABASE_URL ??
    embeddedDatabaseUrl(
      join(resolve(repoRoot(), env.DATA_DIR ?? '.data'), PRODUCT_DATABASE.folder),
      Number(env.POSTGRES_PORT ?? PRODUCT_DATABASE.defaultPort),
      PRODUCT_DATABASE.database,
    );
  if (!databaseUrl) {
    console.error('No database to check: set DATABASE_URL, or run `npm start` here first.');
    return 2;
  }
  const prisma = createPrismaClient(databaseUrl, 1);
  try {
    const started = performance.now();
    const { checked, violations } = await checkInvariants(prisma, { partnerIds: values.partner, only: values.only });
    for (const name of checked) {
      const found = violations.filter((violation) => violation.invariant === name);
      const holds = INVARIANTS.find((invariant) => invariant.name === name)!.holds;
      console.log(`${found.length ? 'FAIL' : 'ok  '} ${name}: ${found.length ? `${found.length} violation(s)` : holds}`);
      for (const violation of found) console.log(`       ${violation.subject}: ${violation.detail}`);
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(`${checked.length} invariants checked in ${seconds} s: ${violations.length} violation(s)`);
    return violations.length ? 1 : 0;
  } catch (error) {
    console.error(`Could not check the database: ${(error as Error).message}`);
    return 2;
  } finally {
    await prisma.$disconnect();
  }
}

void main().then((code) => process.exit(code));
