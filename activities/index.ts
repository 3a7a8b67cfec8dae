import { createCatalogActivities } from './catalog';
import { createCompetencyActivities } from './competencies';
import { createConsolidationActivities } from './consolidation';
import type { ActivityDeps } from './deps';
import { createEnrollmentActivities } from './enrollment';
import { createFeeActivities } from './fees';
import { createNotificationActivities } from './notifications';
import { createLevelActivities } from './levels';
import { createLocationActivities } from './locations';
import { createMembershipActivities } from './membership';
import { createLedgerActivities, createPointsActivities } from './points';
import { createReviewActivities } from './reviews';
import { createSurveyActivities } from './surveys';
import { createUpgradeActivities } from './upgrades';

export type { ActivityDeps } from './deps';

/** Every activity the worker registers, bound to its dependencies. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createCatalogActivities(deps),
    ...createEnrollmentActivities(deps),
    ...createReviewActivities(deps),
    ...createNotificationActivities(deps),
    ...createPointsActivities(deps),
    ...createLedgerActivities(deps),
    ...createUpgradeActivities(deps),
    ...createSurveyActivities(deps),
    ...createCompetencyActivities(deps),
    ...createLevelActivities(deps),
    ...createFeeActivities(deps),
    ...createMembershipActivities(deps),
    ...createLocationActivities(deps),
    ...createConsolidationActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
