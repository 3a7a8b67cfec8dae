import { type LevelCode, levelRank, type ProgramTerms } from './catalog';

/** A partner organization's statuses, and the rules both the API and the activities apply to them. */
export const PARTNER_STATUSES = ['pending', 'active', 'rejected', 'lapsed', 'withdrawn', 'consolidated'] as const;
export type PartnerStatus = (typeof PARTNER_STATUSES)[number];

/** What an organization says of itself when it enrolls, and what its partner record shows. */
export interface OrganizationProfile {
  legalName: string;
  country: string;
  website: string;
  industries: string[];
  customerSizes: string[];
  technologies: string[];
}

/** Still in the program: it may record evidence, apply for competencies and withdraw. */
export const OPEN_PARTNER_STATUSES: readonly PartnerStatus[] = ['pending', 'active'];

export function isOpenPartner(status: string): boolean {
  return OPEN_PARTNER_STATUSES.some((open) => open === status);
}

/** A partner as a consolidation sees it: its status and its primary office's country. */
export interface ConsolidationParty {
  id: string;
  status: string;
  country: string;
}

export type ConsolidationRefusal =
  | { code: 'partner_not_active'; message: string }
  | { code: 'country_mismatch'; message: string; survivorCountry: string; absorbedCountry: string };

/**
 * Why two partners cannot consolidate now: both must be active, with their primary offices in
 * one country. The API refuses early; the move checks again with both partners locked.
 */
export function consolidationRefusal(survivor: ConsolidationParty, absorbed: ConsolidationParty): ConsolidationRefusal | null {
  const inactive = [survivor, absorbed].find((partner) => partner.status !== 'active');
  if (inactive)
    return { code: 'partner_not_active', message: `Partner ${inactive.id} is ${inactive.status}; both partners must be active` };
  if (survivor.country !== absorbed.country) {
    return {
      code: 'country_mismatch',
      message: `Offices consolidate within one country: the partners' primary offices are in ${survivor.country} and ${absorbed.country}`,
      survivorCountry: survivor.country,
      absorbedCountry: absorbed.country,
    };
  }
  return null;
}

/** Whether a partner accepted the program terms in force (a catalog that states none asks for nothing). */
export function acceptedTermsInForce(programTerms: ProgramTerms | undefined, acceptedVersion: string | null): boolean {
  return !programTerms || acceptedVersion === programTerms.version;
}

/** The level an active partner may now ask to move up to: the highest it meets, when above its own. */
export function upgradeOffered(partner: { status: string; level: string }, highestEligible: LevelCode | null): LevelCode | null {
  return partner.status === 'active' && highestEligible && levelRank(highestEligible) > levelRank(partner.level as LevelCode)
    ? highestEligible
    : null;
}
