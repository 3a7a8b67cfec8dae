import type { LevelCode } from '../domain/catalog';
import type { MissingItem } from '../domain/eligibility';
import type { OrganizationProfile } from '../domain/partners';
import type { DatabaseReader } from '../lib/database';
import { findCatalogInForce } from './catalog';
import { heldDesignations, type HeldDesignationView } from './designations';
import { computeStanding, missingForLevel } from './standing';
import { activeOffices, type LocationView } from './locations';
import { findMembership, type MembershipView } from './renewals';

/** What access checks and quick refusals need of a partner. */
export interface PartnerSummary {
  id: string;
  status: string;
  level: string;
  /** The primary office's country, which every office shares (the organization's while it has none). */
  country: string;
  website: string;
  contactEmail: string;
}

export interface PartnerView extends OrganizationProfile {
  id: string;
  level: string;
  status: string;
  catalogVersionId: string;
  activatedAt: string | null;
  consolidatedIntoId: string | null;
  /** The level it enrolled for and joined below, with what it still misses; null once reached (or never set). */
  target: { level: string; missing: MissingItem[] } | null;
  /** The program terms version it accepted last, and when. */
  termsVersion: string | null;
  termsAcceptedAt: string | null;
  membership: MembershipView | null;
  /** The designations it holds now (granted, within their membership year). */
  designations: HeldDesignationView[];
  locations: LocationView[];
  createdAt: string;
}

export async function findPartnerSummary(db: DatabaseReader, partnerId: string): Promise<PartnerSummary | null> {
  const partner = await db.partner.findUnique({
    where: { id: partnerId },
    select: {
      id: true,
      status: true,
      level: true,
      country: true,
      website: true,
      contactEmail: true,
      locations: { where: { isPrimary: true, removedAt: null }, select: { country: true } },
    },
  });
  if (!partner) return null;
  const { locations, ...summary } = partner;
  return { ...summary, country: locations[0]?.country ?? partner.country };
}

export async function findPartner(db: DatabaseReader, partnerId: string): Promise<PartnerView | null> {
  const [partner, membership, designations, locations] = await Promise.all([
    db.partner.findUnique({ where: { id: partnerId } }),
    findMembership(db, partnerId),
    heldDesignations(db, partnerId, new Date()),
    activeOffices(db, partnerId),
  ]);
  return (
    partner && {
      id: partner.id,
      legalName: partner.legalName,
      country: partner.country,
      website: partner.website,
      industries: partner.industries,
      customerSizes: partner.customerSizes,
      technologies: partner.technologies,
      level: partner.level,
      status: partner.status,
      catalogVersionId: partner.catalogVersionId,
      activatedAt: partner.activatedAt?.toISOString() ?? null,
      consolidatedIntoId: partner.consolidatedIntoId,
      target: partner.targetLevel
        ? { level: partner.targetLevel, missing: await missingForTarget(db, partnerId, partner.targetLevel) }
        : null,
      termsVersion: partner.termsVersion,
      termsAcceptedAt: partner.termsAcceptedAt?.toISOString() ?? null,
      membership,
      designations,
      locations,
      createdAt: partner.createdAt.toISOString(),
    }
  );
}

/** What the partner still misses for the level it enrolled for, under the catalog in force now. */
async function missingForTarget(db: DatabaseReader, partnerId: string, targetLevel: string): Promise<MissingItem[]> {
  const now = new Date();
  const catalog = await findCatalogInForce(db, now);
  const standing = catalog && (await computeStanding(db, partnerId, catalog, now));
  return standing ? missingForLevel(standing, targetLevel as LevelCode) : [];
}
