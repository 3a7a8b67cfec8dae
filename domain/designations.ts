import { type CatalogDesignation, LEVEL_CODES, type LevelCode, levelRank } from './catalog';

/**
 * Designations: what a designation (the Small Business Specialist) asks of a partner beyond its
 * level, checked against what the partner holds. Pure functions, shared by the API's early
 * refusal, the application workflow's assessment and the renewal's re-verification.
 */

export const DESIGNATION_STATUSES = ['in-review', 'granted', 'rejected', 'expired', 'revoked', 'refused'] as const;
export type DesignationStatus = (typeof DESIGNATION_STATUSES)[number];

/** While a designation is in one of these, applying for it again is a conflict. */
export const LIVE_DESIGNATION_STATUSES: readonly DesignationStatus[] = ['in-review', 'granted'];

export const DESIGNATION_REQUIREMENTS = ['level', 'communityEnrollment', 'competencies', 'certifiedProfessionals'] as const;
export type DesignationRequirement = (typeof DESIGNATION_REQUIREMENTS)[number];

/** What a partner holds that designations ask for, read at one moment. */
export interface DesignationHoldings {
  level: LevelCode;
  /** The community member ids its verified community enrollment evidence names. */
  communityMemberIds: readonly string[];
  /** Granted competencies still valid at the moment assessed. */
  competencies: readonly string[];
  /** Distinct people among its verified certified professionals. */
  certifiedProfessionals: number;
}

export interface DesignationCheck {
  requirement: DesignationRequirement;
  have: number;
  need: number;
  /** What counts toward it: the levels from the minimum up, the member id named, the competencies listed. */
  accepted: string[];
  /** What the partner holds that counted. */
  held: string[];
  /** One of the catalog's `anyOf` alternatives: one of them met is enough. */
  alternative: boolean;
}

export interface DesignationAssessment {
  code: string;
  met: boolean;
  checks: DesignationCheck[];
  /** The checks that keep it from being met; alternatives only while none of them is met. */
  missing: DesignationCheck[];
}

const check = (
  requirement: DesignationRequirement,
  accepted: string[],
  held: string[],
  need: number,
  alternative = false,
  have = held.length,
): DesignationCheck => ({ requirement, have, need, accepted, held, alternative });

/**
 * Checks the partner's holdings against the designation: its level at least the minimum, its
 * community enrollment (the member id it names, proven by verified evidence) where asked, and at
 * least one of the alternatives (a listed competency granted, or enough certified professionals).
 */
export function assessDesignation(
  designation: CatalogDesignation,
  holdings: DesignationHoldings,
  communityMemberId: string,
): DesignationAssessment {
  const { communityEnrollment, anyOf } = designation.requirements;
  const levels = LEVEL_CODES.filter((level) => levelRank(level) >= levelRank(designation.minLevel));
  const memberId = communityMemberId.trim().toLowerCase();
  const checks = [check('level', levels, levels.includes(holdings.level) ? [holdings.level] : [], 1)];
  if (communityEnrollment) {
    const proven = holdings.communityMemberIds.some((id) => id.trim().toLowerCase() === memberId);
    checks.push(check('communityEnrollment', [communityMemberId], proven ? [communityMemberId] : [], 1));
  }
  if (anyOf?.competencies) {
    const listed = [...anyOf.competencies].sort();
    checks.push(
      check(
        'competencies',
        listed,
        listed.filter((code) => holdings.competencies.includes(code)),
        1,
        true,
      ),
    );
  }
  if (anyOf?.certifiedProfessionals !== undefined) {
    checks.push(check('certifiedProfessionals', [], [], anyOf.certifiedProfessionals, true, holdings.certifiedProfessionals));
  }
  const isMet = (item: DesignationCheck) => item.have >= item.need;
  const anAlternativeMet = checks.some((item) => item.alternative && isMet(item));
  const missing = checks.filter((item) => !isMet(item) && !(item.alternative && anAlternativeMet));
  return { code: designation.code, met: missing.length === 0, checks, missing };
}

/** One line per check, for review tasks and notices: `competencies 1/1 (security)`. */
export function describeDesignationAssessment(assessment: Pick<DesignationAssessment, 'checks'>): string {
  return assessment.checks
    .map((item) => `${item.requirement} ${item.have}/${item.need}${item.held.length ? ` (${item.held.join(', ')})` : ''}`)
    .join(', ');
}
