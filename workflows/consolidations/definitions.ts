import { defineQuery, defineUpdate } from '@temporalio/workflow';

/** At most one consolidation runs per absorbed partner: a second request for it is refused. */
export const consolidationWorkflowId = (absorbedId: string): string => `consolidation-${absorbedId}`;

/** `declined`: the partner named refused to be absorbed. */
export const CONSOLIDATION_STATUSES = ['awaiting_consent', 'in_review', 'completed', 'rejected', 'expired', 'refused', 'declined'] as const;
export type ConsolidationStatus = (typeof CONSOLIDATION_STATUSES)[number];
/** Still running: counted against the requesting partner's limit of open requests. */
export const OPEN_CONSOLIDATION_STATUSES: readonly ConsolidationStatus[] = ['awaiting_consent', 'in_review'];

export interface ConsolidationInput {
  consolidationId: string;
  /** The partner that stays and receives the resources. */
  survivorId: string;
  absorbedId: string;
  requestedBy: string;
}

export interface ConsolidationState {
  status: ConsolidationStatus;
  reviewTaskId: string | null;
  reason: string | null;
}

export interface ConsolidationConsent {
  /** The absorbed partner's own key gives it. */
  actor: string;
}

/** What one consolidation moved from the absorbed partner to the surviving one. */
export interface ConsolidationMoved {
  offices: number;
  evidence: number;
  /** Evidence the survivor already had (same real-world item): kept with the absorbed partner, its points not moved. */
  duplicateEvidence: number;
  transferEntries: number;
  points: number;
  competencies: string[];
  /** The absorbed partner's unused membership fee, refunded per the catalog policy. */
  feeCredit: { amountMinor: number; currency: string; refunds: number } | null;
}

export const consolidationStateQuery = defineQuery<ConsolidationState>('consolidationState');
export const consentToConsolidationUpdate = defineUpdate<ConsolidationState, [ConsolidationConsent]>('consentToConsolidation');
/** The partner named refuses; the consolidation ends and no longer holds it. */
export const declineConsolidationUpdate = defineUpdate<ConsolidationState, [ConsolidationConsent]>('declineConsolidation');

/** Failure type for a consolidation the partners' state does not allow; the API answers 409. */
export const CONSOLIDATION_REFUSED = 'ConsolidationRefused';
