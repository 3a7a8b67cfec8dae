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

export interface LedgerEntryView {
  id: string;
  kind: string;
  sourceCode: string;
  points: number;
  occurredAt: string;
  correctsEntryId: string | null;
  reason: string | null;
  catalogVersionId: string;
}

/** Failure type for a correction the ledger refuses; the API answers 422. */
export const CORRECTION_REFUSED = 'CorrectionRefused';

/** The schedule that starts `ledgerExpiryWorkflow` once a day. */
export const LEDGER_EXPIRY_SCHEDULE_ID = 'ledger-expiry-daily';
export const LEDGER_EXPIRY_BATCH = 1000;
