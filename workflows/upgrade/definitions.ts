import type { LevelCode } from '../../domain/catalog';
import type { MissingItem } from '../../domain/eligibility';

export const upgradeWorkflowId = (partnerId: string, requestId: string): string => `upgrade-${partnerId}-${requestId}`;

export interface UpgradeInput {
  requestId: string;
  partnerId: string;
  level: Exclude<LevelCode, 'registered'>;
  requestedBy: string;
}

export type UpgradeStatus = 'checking' | 'refused' | 'in_review' | 'approved_payment_pending' | 'rejected' | 'expired';

export interface UpgradeOutcome {
  status: UpgradeStatus;
  missing: MissingItem[];
}

/** Until fee payment exists the upgrade says so rather than pretend the fee was paid. */
export const PAYMENT_PENDING_REASON = 'Level changed on approval; the annual fee payment step arrives with fee payment and is pending';
