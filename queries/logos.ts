import { entitlementState } from '../domain/benefits';
import type { LevelCode } from '../domain/catalog';
import { COMPETENCY_LOGO_BENEFIT, type LogoBadge, PARTNER_LOGO_BENEFIT } from '../domain/logos';
import type { DatabaseReader } from '../lib/database';
import { loadedCatalogVersion } from './catalog';

/**
 * What the partner's badge shows at `asOf`, or null when it may show none: the partner is not
 * active, or holds no partner-logo entitlement in force (its level does not give one, the term
 * ended, the entitlement was ended by a withdrawal or a lapse). Names come from the catalog
 * version that granted the entitlement. Two queries, run together (the catalog is read once per version).
 */
export async function partnerLogoOf(db: DatabaseReader, partnerId: string, asOf: Date): Promise<LogoBadge | null> {
  const [partner, entitlements] = await Promise.all([
    db.partner.findUnique({ where: { id: partnerId }, select: { legalName: true, level: true, status: true } }),
    db.entitlement.findMany({
      where: { partnerId, benefitCode: { in: [PARTNER_LOGO_BENEFIT, COMPETENCY_LOGO_BENEFIT] }, endedAt: null, validFrom: { lte: asOf } },
      select: {
        benefitCode: true,
        sourceRef: true,
        validFrom: true,
        validUntil: true,
        graceUntil: true,
        endedAt: true,
        catalogVersionId: true,
      },
    }),
  ]);
  if (!partner || partner.status !== 'active') return null;
  const inForce = entitlements.filter((row) => entitlementState(row, asOf) === 'active');
  const levelLogo = inForce.find((row) => row.benefitCode === PARTNER_LOGO_BENEFIT);
  if (!levelLogo) return null;
  const catalog = await loadedCatalogVersion(db, levelLogo.catalogVersionId);
  const level = partner.level as LevelCode;
  const competencyCodes = new Set(inForce.filter((row) => row.benefitCode === COMPETENCY_LOGO_BENEFIT).map((row) => row.sourceRef));
  return {
    partnerName: partner.legalName,
    level,
    levelName: catalog.levels.find((candidate) => candidate.code === level)?.name ?? level,
    // The catalog's order (by code), so the badge does not change when nothing but the grant order did.
    competencies: catalog.competencies.filter((competency) => competencyCodes.has(competency.code)).map((competency) => competency.name),
    validUntil: levelLogo.validUntil,
  };
}
