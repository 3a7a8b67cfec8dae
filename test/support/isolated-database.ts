import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { CatalogDocument } from '../../domain/catalog';
import { createPrismaClient } from '../../lib/database';
import { poolConfigFromUrl } from '../../lib/database-url';
import { readCatalogDocuments, seedCatalog } from '../../prisma/seed';
import { migrateAndSeed } from '../../scripts/infra/database';

/**
 * A fresh database in the suite's Postgres, migrated and seeded, for tests that publish their
 * own catalog versions without changing the catalog in force for every other test.
 */
export async function createIsolatedDatabase(): Promise<string> {
  const base = process.env.DATABASE_URL!;
  const name = `isolated_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const admin = new Client({ ...poolConfigFromUrl(base), database: 'postgres' });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  await migrateAndSeed(url.toString());
  return url.toString();
}

/** Publishes a variant of the default catalog, in force from now. */
export async function publishCatalogVariant(databaseUrl: string, id: string, change: (doc: CatalogDocument) => void): Promise<void> {
  const doc = structuredClone(readCatalogDocuments()[0]);
  doc.id = id;
  doc.effectiveFrom = new Date(Date.now() - 1000).toISOString();
  change(doc);
  const prisma = createPrismaClient(databaseUrl, 1);
  try {
    await seedCatalog(prisma, [doc]);
  } finally {
    await prisma.$disconnect();
  }
}

/**
 * An isolated database where Gold asks for nothing but its fee, 1,500.00 GBP plus 20% VAT in
 * Great Britain, so a new organization can enroll straight at Gold and a test is about paying.
 */
export async function createGoldByFeeDatabase(catalogVersionId: string): Promise<string> {
  const databaseUrl = await createIsolatedDatabase();
  await publishCatalogVariant(databaseUrl, catalogVersionId, (doc) => {
    const gold = doc.levels.find((level) => level.code === 'gold')!;
    gold.minPoints = 0;
    gold.minCompetencies = 0;
    gold.fees.GB = { amountMinor: 150000, currency: 'GBP', taxRateBps: 2000 };
  });
  return databaseUrl;
}
