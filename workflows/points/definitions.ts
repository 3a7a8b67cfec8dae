import type { EvidenceDetails, EvidenceKind } from '../../domain/points';

export const evidenceWorkflowId = (evidenceId: string): string => `evidence-${evidenceId}`;

export interface EvidenceInput {
  evidenceId: string;
  partnerId: string;
  kind: EvidenceKind;
  naturalKey: string;
  details: EvidenceDetails[EvidenceKind];
  locationId: string | null;
  recordedBy: string;
  /** 1 (or absent) for the first submission; the next after a rejected or expired one. */
  attempt?: number;
  /** When the activity it proves took place: its award counts from then, never after its verification. */
  activityAt?: string | null;
}

export type EvidenceStatus = 'pending_review' | 'verified' | 'rejected' | 'expired';

export interface EvidenceOutcome {
  status: EvidenceStatus;
  points: number;
}

export const ledgerCorrectionWorkflowId = (partnerId: string, correctionId: string): string =>
  `ledger-correction-${partnerId}-${correctionId}`;

export interface LedgerCorrectionInput {
  correctionId: string;
  partnerId: string;
  /** The ledger entry being corrected. */
  entryId: string;
  /** Points to add (negative to take away). */
  points: number;
  reason: string;
  actor: string;
}

/** Failure type for a correction the ledger refuses; the API answers 422. */
export const CORRECTION_REFUSED = 'CorrectionRefused';

/** Expiry entries one activity of the daily sweep writes at most. */
export const LEDGER_EXPIRY_BATCH = 1000;
