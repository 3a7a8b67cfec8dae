import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CatalogDocument } from '../domain/catalog';
import type { PrismaClient } from '../lib/database';
import { repoRoot } from '../lib/paths';

export function readCatalogDocuments(directory = join(repoRoot(), 'prisma', 'catalog')): CatalogDocument[] {
  return readdirSync(directory)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => JSON.parse(readFileSync(join(directory, file), 'utf8')) as CatalogDocument);
}

/**
 * Publishes every catalog version that is not in the database yet. Published versions are
 * immutable: a change to the program is a new file with a new id and effective date.
 */
export async function seedCatalog(prisma: PrismaClient, documents = readCatalogDocuments()): Promise<string[]> {
  const published: string[] = [];
  for (const doc of documents) {
    const contentHash = createHash('sha256').update(JSON.stringify(doc)).digest('hex');
    const exists = await prisma.catalogVersion.findUnique({ where: { id: doc.id }, select: { contentHash: true } });
    if (exists) {
      if (exists.contentHash !== null && exists.contentHash !== contentHash) {
        throw new Error(
          `Catalog ${doc.id} is published and its file has changed since; publish the change as a new version (new id and effectiveFrom)`,
        );
      }
      continue;
    }
    const catalogVersionId = doc.id;
    await prisma.$transaction([
      prisma.catalogVersion.create({
        data: {
          id: doc.id,
          effectiveFrom: new Date(doc.effectiveFrom),
          description: doc.description,
          rules: doc.rules as object,
          contentHash,
        },
      }),
      prisma.level.createMany({
        data: doc.levels.map((level) => ({
          ...level,
          catalogVersionId,
          fees: level.fees as object,
          requirements: level.requirements as object,
        })),
      }),
      prisma.competency.createMany({
        data: doc.competencies.map((c) => ({ ...c, catalogVersionId, requirements: (c.requirements ?? {}) as object })),
      }),
      prisma.pointSource.createMany({
        data: doc.pointSources.map((source) => ({ ...source, catalogVersionId, rule: source.rule as object })),
      }),
      prisma.benefit.createMany({
        data: doc.benefits.map((benefit) => ({
          ...benefit,
          catalogVersionId,
          price: benefit.price as object | undefined,
          quantityByLevel: benefit.quantityByLevel as object | undefined,
          memberPrices: benefit.memberPrices as object | undefined,
          competencyDiscounts: benefit.competencyDiscounts as object | undefined,
        })),
      }),
      prisma.designation.createMany({
        data: (doc.designations ?? []).map((designation) => ({
          ...designation,
          catalogVersionId,
          requirements: designation.requirements as object,
        })),
      }),
    ]);
    published.push(doc.id);
  }
  return published;
}
