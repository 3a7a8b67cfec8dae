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
}

export type EvidenceStatus = 'pending_review' | 'verified' | 'rejected' | 'expired';

export interface EvidenceOutcome {
  status: EvidenceStatus;
  points: number;
}
