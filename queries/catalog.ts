import type { Benefit } from '../prisma/generated/client';
import type {
  BenefitKind,
  CatalogBenefit,
  CatalogCompetency,
  CatalogDesignation,
  CatalogLevel,
  CatalogPointSource,
  CompetencyDiscount,
  CompetencyRequirements,
  DesignationRequirements,
  LevelCode,
  LevelFee,
  ProgramRules,
} from '../domain/catalog';
import type { DatabaseReader } from '../lib/database';

/** The parts of a catalog version that processes evaluate against. */
export interface CatalogInForce {
  catalogVersionId: string;
  rules: ProgramRules;
  levelCodes: LevelCode[];
  levels: CatalogLevel[];
  pointSources: CatalogPointSource[];
  competencies: CatalogCompetency[];
  benefits: CatalogBenefit[];
  designations: CatalogDesignation[];
}

/**
 * Published versions never change (the seed refuses an edited file), so each client reads a
 * version's levels, sources and competencies once; a renewal storm then costs one small query
 * per lookup instead of four. Keyed by client, so each database keeps its own.
 */
const loadedVersions = new WeakMap<DatabaseReader, Map<string, Promise<CatalogInForce>>>();

/** The catalog version whose effective date is the latest one not after `at`. */
export async function findCatalogInForce(prisma: DatabaseReader, at: Date): Promise<CatalogInForce | null> {
  const inForce = await prisma.catalogVersion.findFirst({
    where: { effectiveFrom: { lte: at } },
    orderBy: { effectiveFrom: 'desc' },
    select: { id: true },
  });
  if (!inForce) return null;
  let versions = loadedVersions.get(prisma);
  if (!versions) loadedVersions.set(prisma, (versions = new Map()));
  let loaded = versions.get(inForce.id);
  if (!loaded) {
    loaded = loadCatalogVersion(prisma, inForce.id);
    versions.set(inForce.id, loaded);
    loaded.catch(() => versions.delete(inForce.id));
  }
  // A copy, so no caller can change what the next one reads.
  return structuredClone(await loaded);
}

async function loadCatalogVersion(prisma: DatabaseReader, id: string): Promise<CatalogInForce> {
  const version = await prisma.catalogVersion.findUniqueOrThrow({
    where: { id },
    include: {
      levels: { orderBy: { rank: 'asc' } },
      pointSources: { orderBy: { code: 'asc' } },
      competencies: { orderBy: { code: 'asc' } },
      benefits: { orderBy: { code: 'asc' } },
      designations: { orderBy: { code: 'asc' } },
    },
  });
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
    benefits: version.benefits.map(toCatalogBenefit),
    designations: version.designations.map(({ code, name, description, minLevel, requirements }) => ({
      code,
      name,
      description,
      minLevel: minLevel as LevelCode,
      requirements: requirements as DesignationRequirements,
    })),
  };
}

function toCatalogBenefit(benefit: Benefit): CatalogBenefit {
  return {
    code: benefit.code,
    name: benefit.name,
    stage: benefit.stage,
    kind: benefit.kind as BenefitKind,
    online: benefit.online,
    levels: benefit.levels as LevelCode[],
    ...(benefit.competencies.length ? { competencies: benefit.competencies } : {}),
    ...(benefit.designations.length ? { designations: benefit.designations } : {}),
    ...(benefit.quantity !== null ? { quantity: benefit.quantity } : {}),
    ...(benefit.quantityByLevel ? { quantityByLevel: benefit.quantityByLevel as CatalogBenefit['quantityByLevel'] } : {}),
    optional: benefit.optional,
    ...(benefit.price ? { price: benefit.price as unknown as LevelFee } : {}),
    ...(benefit.memberPrices ? { memberPrices: benefit.memberPrices as CatalogBenefit['memberPrices'] } : {}),
    ...(benefit.competencyDiscounts ? { competencyDiscounts: benefit.competencyDiscounts as unknown as CompetencyDiscount[] } : {}),
  };
}

/** One benefit of a catalog version, or null when the version has none by that code. */
export async function findBenefit(db: DatabaseReader, catalogVersionId: string, code: string): Promise<CatalogBenefit | null> {
  const benefit = await db.benefit.findUnique({ where: { catalogVersionId_code: { catalogVersionId, code } } });
  return benefit && toCatalogBenefit(benefit);
}

/** The version in force at `at` and every one published to come into force after it, oldest first. */
export async function catalogVersionsFrom(db: DatabaseReader, at: Date): Promise<Array<{ id: string; effectiveFrom: Date }>> {
  const inForce = await db.catalogVersion.findFirst({ where: { effectiveFrom: { lte: at } }, orderBy: { effectiveFrom: 'desc' } });
  return db.catalogVersion.findMany({
    where: inForce ? { effectiveFrom: { gte: inForce.effectiveFrom } } : {},
    select: { id: true, effectiveFrom: true },
    orderBy: { effectiveFrom: 'asc' },
  });
}
