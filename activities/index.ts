import { createBenefitUseActivities } from './benefits';
import { createBenefitPurchaseActivities } from './benefit-purchases';
import { createCatalogActivities } from './catalog';
import { createChannelActivities } from './channels';
import { createCompetencyActivities, createCompetencyGrantActivities, createCompetencyRenewalActivities } from './competencies';
import { createConsolidationActivities } from './consolidations';
import { createDesignationActivities } from './designations';
import type { ActivityDeps } from './deps';
import { createEnrollmentActivities } from './enrollments';
import { createLocationActivities } from './locations';
import { createNotificationActivities } from './notifications';
import { createPartnerActivities } from './partners';
import { createPaymentActivities } from './payments';
import { createProfileActivities } from './profiles';
import { createLedgerActivities, createPointsActivities } from './points';
import { createMembershipTermActivities, createRenewalActivities } from './renewals';
import { createReviewActivities } from './reviews';
import { createSurveyActivities } from './surveys';
import { createUpgradeActivities } from './upgrades';
import { createWebhookActivities } from './webhooks';

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
    ...createCompetencyGrantActivities(deps),
    ...createCompetencyRenewalActivities(deps),
    ...createDesignationActivities(deps),
    ...createPartnerActivities(deps),
    ...createPaymentActivities(deps),
    ...createMembershipTermActivities(deps),
    ...createRenewalActivities(deps),
    ...createLocationActivities(deps),
    ...createConsolidationActivities(deps),
    ...createBenefitUseActivities(deps),
    ...createBenefitPurchaseActivities(deps),
    ...createProfileActivities(deps),
    ...createChannelActivities(deps),
    ...createWebhookActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
