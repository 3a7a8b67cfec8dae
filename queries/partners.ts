import type { OrganizationProfile } from '../domain/partners';
import type { DatabaseReader } from '../lib/database';
import { activeOffices, type LocationView } from './locations';
import { findMembership, type MembershipView } from './renewals';

/** What access checks and quick refusals need of a partner. */
export interface PartnerSummary {
  id: string;
  status: string;
  level: string;
  /** The primary office's country, which every office shares (the organization's while it has none). */
  country: string;
}

export interface PartnerView extends OrganizationProfile {
  id: string;
  level: string;
  status: string;
  catalogVersionId: string;
  activatedAt: string | null;
  consolidatedIntoId: string | null;
  membership: MembershipView | null;
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
      locations: { where: { isPrimary: true, removedAt: null }, select: { country: true } },
    },
  });
  return (
    partner && { id: partner.id, status: partner.status, level: partner.level, country: partner.locations[0]?.country ?? partner.country }
  );
}

export async function findPartner(db: DatabaseReader, partnerId: string): Promise<PartnerView | null> {
  const [partner, membership, locations] = await Promise.all([
    db.partner.findUnique({ where: { id: partnerId } }),
    findMembership(db, partnerId),
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
      membership,
      locations,
      createdAt: partner.createdAt.toISOString(),
    }
  );
}
