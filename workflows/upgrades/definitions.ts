import type { LevelCode } from '../../domain/catalog';
import type { MissingItem } from '../../domain/eligibility';

export const upgradeWorkflowId = (partnerId: string, requestId: string): string => `upgrade-${partnerId}-${requestId}`;

export interface UpgradeInput {
  requestId: string;
  partnerId: string;
  level: Exclude<LevelCode, 'registered'>;
  requestedBy: string;
}

export type UpgradeStatus =
  'checking' | 'refused' | 'in_review' | 'approved_payment_pending' | 'approved' | 'payment_failed' | 'rejected' | 'expired';

export interface UpgradeOutcome {
  status: UpgradeStatus;
  missing: MissingItem[];
}

/** Histories from before fee payment: the level changed on approval and the status said payment was pending. */
export const PAYMENT_PENDING_REASON = 'Level changed on approval; the annual fee payment step arrives with fee payment and is pending';
