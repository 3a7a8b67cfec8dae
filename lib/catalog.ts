import type { LevelCode, ProgramRules } from '../domain/catalog';
import type { PrismaClient } from './database';

export interface CatalogInForce {
  catalogVersionId: string;
  rules: ProgramRules;
  levelCodes: LevelCode[];
}

/** The catalog version whose effective date is the latest one not after `at`. */
export async function findCatalogInForce(prisma: PrismaClient, at: Date): Promise<CatalogInForce | null> {
  const version = await prisma.catalogVersion.findFirst({
    where: { effectiveFrom: { lte: at } },
    orderBy: { effectiveFrom: 'desc' },
    include: { levels: { select: { code: true }, orderBy: { rank: 'asc' } } },
  });
  if (!version) return null;
  return {
    catalogVersionId: version.id,
    rules: version.rules as unknown as ProgramRules,
    levelCodes: version.levels.map((level) => level.code as LevelCode),
  };
}
