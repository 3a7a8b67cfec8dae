import type { LevelCode } from '../domain/catalog';
import { evaluateLevels, highestEligibleLevel, type LevelEligibility, type MissingItem } from '../domain/eligibility';
import { acceptedTermsInForce, upgradeOffered } from '../domain/partners';
import {
  isInWindow,
  type LedgerEntry,
  type LedgerEntryKind,
  pointsBySource,
  pointsExpiringWithin,
  type SourceTotal,
} from '../domain/points';
import { DAY_MS } from '../domain/time';
import type { DatabaseReader } from '../lib/database';
import type { CatalogInForce } from './catalog';

export interface StandingEntry {
  id: string;
  kind: string;
  points: number;
  occurredAt: string;
  evidenceId: string | null;
  locationId: string | null;
}

export interface PartnerStanding {
  partnerId: string;
  level: string;
  status: string;
  catalogVersionId: string;
  asOf: string;
  points: {
    total: number;
    bySource: Array<SourceTotal & { name: string; entries: StandingEntry[] }>;
    /** Points earned in the window per office (null: the organization as a whole), before caps. */
    byLocation: Array<{ locationId: string | null; earned: number }>;
  };
  /** The offices the resources come from; a consolidated one names the partner it came from. */
  offices: Array<{ id: string; city: string; country: string; isPrimary: boolean; consolidatedFromPartnerId: string | null }>;
  competencies: { granted: number; codes: Array<{ code: string; grantedAt: string; validUntil: string }> };
  eligibility: LevelEligibility[];
  highestEligibleLevel: LevelCode | null;
  /** The level the partner may ask to move up to now: the highest it meets, above its own (active partners only). */
  upgradeOffered: LevelCode | null;
  /** The level it enrolled for and joined below, until it reaches it. */
  targetLevel: string | null;
  /** Whether it accepted the program terms in force; until it does, no level's requirements are met. */
  termsAccepted: boolean;
  expiring: { horizonDays: number; points: number; bySource: SourceTotal[] };
}

/**
 * Where a partner stands under a catalog version: one ledger query, then the pure rules.
 * Shared by the standing endpoint and the activities that re-check eligibility.
 */
export async function computeStanding(
  prisma: DatabaseReader,
  partnerId: string,
  catalog: CatalogInForce,
  asOf: Date,
): Promise<PartnerStanding | null> {
  const longestWindow = Math.max(0, ...catalog.pointSources.map((source) => source.windowDays));
  const partner = await prisma.partner.findUnique({
    where: { id: partnerId },
    include: {
      locations: {
        where: { removedAt: null },
        select: { id: true, city: true, country: true, isPrimary: true, consolidatedFromPartnerId: true },
        orderBy: [{ isPrimary: 'desc' }, { createdAt: 'asc' }],
      },
      competencies: {
        where: { status: 'granted', grantedAt: { lte: asOf }, validUntil: { gt: asOf } },
        select: { code: true, grantedAt: true, validUntil: true },
        orderBy: { code: 'asc' },
      },
      pointEntries: {
        where: { occurredAt: { gte: new Date(asOf.getTime() - (longestWindow + 1) * DAY_MS), lte: asOf } },
        orderBy: { occurredAt: 'asc' },
      },
    },
  });
  if (!partner) return null;

  const at = asOf.toISOString();
  const ledger: Array<LedgerEntry & StandingEntry> = partner.pointEntries.map((entry) => ({
    id: entry.id,
    sourceCode: entry.sourceCode,
    kind: entry.kind as LedgerEntryKind,
    points: entry.points,
    occurredAt: entry.occurredAt.toISOString(),
    evidenceId: entry.evidenceId,
    locationId: entry.locationId,
  }));
  const names = new Map(catalog.pointSources.map((source) => [source.code, source]));
  const bySource = pointsBySource(ledger, catalog.pointSources, at).map((total) => ({
    ...total,
    name: names.get(total.sourceCode)?.name ?? total.sourceCode,
    entries: ledger
      .filter((entry) => entry.sourceCode === total.sourceCode && isInWindow(entry.occurredAt, at, names.get(total.sourceCode)!.windowDays))
      .map(({ id, kind, points, occurredAt, evidenceId, locationId }) => ({ id, kind, points, occurredAt, evidenceId, locationId })),
  }));
  const total = bySource.reduce((sum, source) => sum + source.counted, 0);
  const earnedByLocation = new Map<string | null, number>();
  for (const entry of bySource.flatMap((source) => source.entries)) {
    earnedByLocation.set(entry.locationId, (earnedByLocation.get(entry.locationId) ?? 0) + entry.points);
  }
  const resources = {
    points: total,
    grantedCompetencies: partner.competencies.length,
    primaryLocations: partner.locations.filter((location) => location.isPrimary).length,
    termsAccepted: acceptedTermsInForce(catalog.rules.programTerms, partner.termsVersion),
  };
  const highest = highestEligibleLevel(catalog.levels, resources);
  const horizonDays = catalog.rules.standingExpiryHorizonDays;
  return {
    partnerId,
    level: partner.level,
    status: partner.status,
    catalogVersionId: catalog.catalogVersionId,
    asOf: at,
    points: {
      total,
      bySource,
      byLocation: [...earnedByLocation].map(([locationId, earned]) => ({ locationId, earned })),
    },
    offices: partner.locations,
    competencies: {
      granted: resources.grantedCompetencies,
      codes: partner.competencies.map((competency) => ({
        code: competency.code,
        grantedAt: competency.grantedAt!.toISOString(),
        validUntil: competency.validUntil!.toISOString(),
      })),
    },
    eligibility: evaluateLevels(catalog.levels, resources),
    highestEligibleLevel: highest,
    upgradeOffered: upgradeOffered(partner, highest),
    targetLevel: partner.targetLevel,
    termsAccepted: resources.termsAccepted,
    expiring: { horizonDays, ...pointsExpiringWithin(ledger, catalog.pointSources, at, horizonDays) },
  };
}

/** What a level still needs, as the standing says; a level the catalog lacks needs nothing listed. */
export function missingForLevel(standing: PartnerStanding, level: LevelCode): MissingItem[] {
  return standing.eligibility.find((evaluation) => evaluation.level === level)?.missing ?? [];
}
