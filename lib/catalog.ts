import type { CatalogCompetency, CatalogLevel, CatalogPointSource, LevelCode, ProgramRules } from '../domain/catalog';
import type { CompetencyRequirements } from '../domain/competencies';
import type { PrismaClient, TransactionClient } from './database';

/** The parts of a catalog version that processes evaluate against. */
export interface CatalogInForce {
  catalogVersionId: string;
  rules: ProgramRules;
  levelCodes: LevelCode[];
  levels: CatalogLevel[];
  pointSources: CatalogPointSource[];
  competencies: CatalogCompetency[];
}

/** The catalog version whose effective date is the latest one not after `at`. */
export async function findCatalogInForce(prisma: PrismaClient | TransactionClient, at: Date): Promise<CatalogInForce | null> {
  const version = await prisma.catalogVersion.findFirst({
    where: { effectiveFrom: { lte: at } },
    orderBy: { effectiveFrom: 'desc' },
    include: {
      levels: { orderBy: { rank: 'asc' } },
      pointSources: { orderBy: { code: 'asc' } },
      competencies: { orderBy: { code: 'asc' } },
    },
  });
  if (!version) return null;
  const levels = version.levels.map((level): CatalogLevel => ({
    code: level.code as LevelCode,
    name: level.name,
    rank: level.rank,
    minPoints: level.minPoints,
    minCompetencies: level.minCompetencies,
    requirements: level.requirements as Record<string, unknown>,
    fees: level.fees as unknown as CatalogLevel['fees'],
  }));
  return {
    catalogVersionId: version.id,
    rules: version.rules as unknown as ProgramRules,
    levelCodes: levels.map((level) => level.code),
    levels,
    pointSources: version.pointSources.map(({ code, name, windowDays, requiresReview, rule }) => ({
      code,
      name,
      windowDays,
      requiresReview,
      rule: rule as Record<string, unknown>,
    })),
    competencies: version.competencies.map(({ code, name, description, requirements }) => ({
      code,
      name,
      description,
      requirements: requirements as CompetencyRequirements,
    })),
  };
}
