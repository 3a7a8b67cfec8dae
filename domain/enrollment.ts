import type { LevelCode } from './catalog';
import type { OrganizationProfile } from './partners';

export interface EnrollmentApplication {
  organization: OrganizationProfile;
  primaryLocation: {
    addressLine1: string;
    city: string;
    postalCode: string;
    country: string;
  };
  contact: { name: string; email: string };
  requestedLevel: LevelCode;
}

export interface ApplicationProblem {
  field: string;
  reason: string;
  code: string;
}

/**
 * Rules an application must meet against the catalog in force. The API runs them before it
 * starts anything; the workflow runs them again because the catalog may change in between.
 */
export function validateApplication(application: EnrollmentApplication, offeredLevels: readonly string[]): ApplicationProblem[] {
  const problems: ApplicationProblem[] = [];
  if (!offeredLevels.includes(application.requestedLevel)) {
    problems.push({
      field: 'requestedLevel',
      reason: `must be one of the levels the program catalog offers: ${offeredLevels.join(', ')}`,
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
  return problems;
}
