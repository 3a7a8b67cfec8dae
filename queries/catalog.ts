import type { Benefit } from '../prisma/generated/client';
import type {
  BenefitKind,
  BenefitRules,
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
import { BENEFIT_STAGES } from '../domain/catalog';
import { benefitPrice, unitsFor } from '../domain/benefits';
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
  return loadedCatalogVersion(prisma, inForce.id);
}

/** A published version's content, read once per client and version. */
export async function loadedCatalogVersion(prisma: DatabaseReader, id: string): Promise<CatalogInForce> {
  let versions = loadedVersions.get(prisma);
  if (!versions) loadedVersions.set(prisma, (versions = new Map()));
  let loaded = versions.get(id);
  if (!loaded) {
    loaded = loadCatalogVersion(prisma, id);
    versions.set(id, loaded);
    loaded.catch(() => versions.delete(id));
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

/** What a level asks beyond points and competencies. */
export interface LevelRequirementsView {
  acceptProgramTerms?: boolean;
  primaryLocations?: number;
}

/** How a point source turns evidence into points; which fields apply depends on `kind`. */
export interface PointRuleView {
  kind: string;
  points?: number;
  bonus?: number;
  cap?: number;
  pointsByType?: Record<string, number>;
  bands?: Array<{ minUnits: number; points: number }>;
  pointsPerCertification?: number;
  maxPerProfessional?: number;
  groupSize?: number;
}

/** A number per level, for the levels that have one. */
export type PerLevel = Partial<Record<LevelCode, number>>;

/** An optional benefit's price for one competency's savings. */
export interface CompetencyPriceView {
  competency: string;
  discountBps: number;
  amountMinor: number;
}

/** What an optional benefit costs a level that may buy it: the member price, and with each competency's savings. */
export interface LevelPriceView {
  level: LevelCode;
  memberMinor: number;
  competencyPrices: CompetencyPriceView[];
}

export interface BenefitPricingView {
  listPrice: LevelFee;
  /** `daily`: bought mid-term, the price times the days left over the term's days. */
  proration: BenefitRules['purchaseProration'];
  levelPrices: LevelPriceView[];
}

export interface CatalogBenefitView {
  code: string;
  name: string;
  kind: BenefitKind;
  online: boolean;
  optional: boolean;
  levels: LevelCode[];
  competencies: string[];
  designations: string[];
  /** Units per term at each level that has the benefit; null when it is not counted. */
  unitsByLevel: PerLevel | null;
  /** Optional benefits only. */
  pricing: BenefitPricingView | null;
}

export interface BenefitStageView {
  stage: string;
  benefits: CatalogBenefitView[];
}

/** A published catalog version as clients read it: every rule, and the benefits by business-cycle stage. */
export interface CatalogView {
  id: string;
  effectiveFrom: string;
  description: string;
  inForce: boolean;
  rules: ProgramRules;
  levels: Array<Omit<CatalogLevel, 'requirements'> & { requirements: LevelRequirementsView }>;
  competencies: CatalogCompetency[];
  pointSources: Array<Omit<CatalogPointSource, 'rule'> & { rule: PointRuleView }>;
  benefitStages: BenefitStageView[];
  designations: CatalogDesignation[];
}

/** A catalog version's identity: enough to answer a conditional request without reading its content. */
export interface CatalogVersionHeader {
  id: string;
  effectiveFrom: Date;
  description: string;
  contentHash: string | null;
  inForce: boolean;
}

/** The version named, or the one in force at `at` when none is; null when there is no such version. */
export async function findCatalogVersionHeader(db: DatabaseReader, id: string | undefined, at: Date): Promise<CatalogVersionHeader | null> {
  const select = { id: true, effectiveFrom: true, description: true, contentHash: true } as const;
  const inForce = await db.catalogVersion.findFirst({ where: { effectiveFrom: { lte: at } }, orderBy: { effectiveFrom: 'desc' }, select });
  if (id === undefined || id === inForce?.id) return inForce && { ...inForce, inForce: true };
  const named = await db.catalogVersion.findUnique({ where: { id }, select });
  return named && { ...named, inForce: false };
}

/** The full view of a version found by `findCatalogVersionHeader`. */
export async function findCatalogView(db: DatabaseReader, header: CatalogVersionHeader): Promise<CatalogView> {
  const catalog = await loadedCatalogVersion(db, header.id);
  const proration = catalog.rules.benefits?.purchaseProration ?? 'none';
  const viewOf = (benefit: CatalogBenefit): CatalogBenefitView => ({
    code: benefit.code,
    name: benefit.name,
    kind: benefit.kind ?? 'access',
    online: benefit.online ?? false,
    optional: benefit.optional,
    levels: benefit.levels,
    competencies: benefit.competencies ?? [],
    designations: benefit.designations ?? [],
    // A benefit that competencies or designations bring has the holder's level's units, whatever the level.
    unitsByLevel: perLevel(benefit.levels.length ? benefit.levels : catalog.levelCodes, (level) => unitsFor(benefit, level)),
    pricing: benefit.optional && benefit.price ? { listPrice: benefit.price, proration, levelPrices: levelPrices(benefit) } : null,
  });
  const stages = [...new Set([...BENEFIT_STAGES, ...catalog.benefits.map((benefit) => benefit.stage)])];
  return {
    id: header.id,
    effectiveFrom: header.effectiveFrom.toISOString(),
    description: header.description,
    inForce: header.inForce,
    rules: catalog.rules,
    levels: catalog.levels.map((level) => ({ ...level, requirements: level.requirements as LevelRequirementsView })),
    competencies: catalog.competencies,
    pointSources: catalog.pointSources.map((source) => ({ ...source, rule: source.rule as unknown as PointRuleView })),
    benefitStages: stages
      .map((stage) => ({ stage, benefits: catalog.benefits.filter((benefit) => benefit.stage === stage).map(viewOf) }))
      .filter((stage) => stage.benefits.length > 0),
    designations: catalog.designations,
  };
}

/** The values a function gives per level, for the levels where it gives one; null when it gives none. */
function perLevel(levels: readonly LevelCode[], valueAt: (level: LevelCode) => number | null): PerLevel | null {
  const entries = levels.flatMap((level) => {
    const value = valueAt(level);
    return value === null ? [] : [[level, value] as const];
  });
  return entries.length ? Object.fromEntries(entries) : null;
}

/** Each buying level's price, alone and with the savings of each competency the catalog discounts. */
function levelPrices(benefit: CatalogBenefit): LevelPriceView[] {
  const discounted = [...new Set((benefit.competencyDiscounts ?? []).flatMap((discount) => discount.competencies))].sort();
  return benefit.levels.map((level) => ({
    level,
    memberMinor: benefitPrice(benefit, { level, competencies: [] }, null)!.amountMinor,
    competencyPrices: discounted.map((competency) => {
      const price = benefitPrice(benefit, { level, competencies: [competency] }, null)!;
      return { competency, discountBps: price.discountBps, amountMinor: price.amountMinor };
    }),
  }));
}
