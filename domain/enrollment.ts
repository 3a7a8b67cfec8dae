import type { LevelCode, ProgramTerms } from './catalog';
import type { OfficeAddress } from './locations';
import type { OrganizationProfile } from './partners';

export interface EnrollmentApplication {
  organization: OrganizationProfile;
  primaryLocation: OfficeAddress;
  /** The organization's other offices, enrolled with it as one location: one fee, one set of benefits. */
  locations?: OfficeAddress[];
  contact: { name: string; email: string };
  requestedLevel: LevelCode;
  /** The program terms version the organization accepts; the catalog in force names it. */
  acceptedTermsVersion?: string;
}

export interface ApplicationProblem {
  field: string;
  reason: string;
  code: string;
}

/** What an application is checked against: the catalog in force's levels and program terms. */
export interface EnrollmentRules {
  levelCodes: readonly string[];
  programTerms?: ProgramTerms;
}

/** A terms version that is not the one in force: the applicant read other terms than it would sign. */
export const STALE_TERMS = 'terms_version_stale';

/**
 * Rules an application must meet against the catalog in force. The API runs them before it
 * starts anything; the workflow runs them again because the catalog may change in between.
 */
export function validateApplication(application: EnrollmentApplication, rules: EnrollmentRules): ApplicationProblem[] {
  const problems: ApplicationProblem[] = [];
  if (!rules.levelCodes.includes(application.requestedLevel)) {
    problems.push({
      field: 'requestedLevel',
      reason: `must be one of the levels the program catalog offers: ${rules.levelCodes.join(', ')}`,
      code: 'level_not_offered',
    });
  }
  if (application.primaryLocation.country !== application.organization.country) {
    problems.push({
      field: 'primaryLocation.country',
      reason: "the primary office must be in the organization's country",
      code: 'country_mismatch',
    });
  }
  (application.locations ?? []).forEach((office, index) => {
    if (office.country !== application.primaryLocation.country) {
      problems.push({
        field: `locations[${index}].country`,
        reason: `offices consolidate within one country: must be ${application.primaryLocation.country}, the primary office's`,
        code: 'country_mismatch',
      });
    }
  });
  const terms = rules.programTerms;
  if (terms && application.acceptedTermsVersion !== terms.version) {
    problems.push({
      field: 'acceptedTermsVersion',
      reason: `must accept the program terms in force, version ${terms.version} (${terms.url})`,
      code: application.acceptedTermsVersion === undefined ? 'terms_not_accepted' : STALE_TERMS,
    });
  }
  return problems;
}
