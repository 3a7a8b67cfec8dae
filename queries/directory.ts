import { type DirectoryFacts, SOLUTION_FINDER_LISTING } from '../domain/directory';
import type { DatabaseReader } from '../lib/database';

/** What the directory shows of the partner as of `at`, under the catalog then in force; null when there is no such partner. */
export async function directoryFacts(db: DatabaseReader, partnerId: string, at: Date): Promise<DirectoryFacts | null> {
  const [partner, competencies, designations, catalog] = await Promise.all([
    db.partner.findUnique({
      where: { id: partnerId },
      include: {
        locations: {
          where: { removedAt: null },
          orderBy: [{ isPrimary: 'desc' }, { createdAt: 'asc' }],
          select: { city: true, country: true },
        },
      },
    }),
    db.partnerCompetency.findMany({ where: { partnerId, status: 'granted' }, orderBy: { code: 'asc' }, select: { code: true } }),
    db.partnerDesignation.findMany({ where: { partnerId, status: 'granted' }, orderBy: { code: 'asc' }, select: { code: true } }),
    db.catalogVersion.findFirst({
      where: { effectiveFrom: { lte: at } },
      orderBy: { effectiveFrom: 'desc' },
      select: {
        levels: { select: { code: true, rank: true } },
        competencies: { select: { code: true, name: true } },
        benefits: { where: { code: SOLUTION_FINDER_LISTING }, select: { levels: true } },
      },
    }),
  ]);
  if (!partner) return null;
  const competencyNames = new Map(catalog?.competencies.map((competency) => [competency.code, competency.name]));
  return {
    partnerId,
    name: partner.legalName,
    status: partner.status,
    level: partner.level,
    listed: partner.listed,
    description: partner.description,
    website: partner.website,
    industries: partner.industries,
    customerSizes: partner.customerSizes,
    technologies: partner.technologies,
    languages: partner.languages,
    serviceAreas: partner.serviceAreas,
    offices: partner.locations,
    competencies: competencies.map(({ code }) => ({ code, name: competencyNames.get(code) })),
    designations: designations.map(({ code }) => code),
    listedLevels: catalog?.benefits[0]?.levels ?? [],
    levelRank: catalog?.levels.find((level) => level.code === partner.level)?.rank ?? 0,
  };
}
