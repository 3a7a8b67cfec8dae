import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { CompetencyAssessment, CompetencyStatus } from '../../domain/competencies';

/** One verification workflow per partner and competency: applying twice finds the running one. */
export const competencyWorkflowId = (partnerId: string, code: string): string => `competency-${partnerId}-${code}`;

export interface CompetencyInput {
  partnerId: string;
  code: string;
  requestedBy: string;
}

export interface CompetencyOutcome {
  status: CompetencyStatus;
  points: number;
}

export interface CompetencyState {
  status: CompetencyStatus;
  assessment: CompetencyAssessment | null;
}

export interface RevokeCompetencyInput {
  reason: string;
  actor: string;
}

export interface RevokedCompetency {
  status: 'revoked';
  reversedPoints: number;
}

/** Sent when the partner's evidence changed, so a waiting verification assesses it again. */
export const evidenceChangedSignal = defineSignal('evidenceChanged');
export const competencyStateQuery = defineQuery<CompetencyState>('competencyState');
export const revokeCompetencyUpdate = defineUpdate<RevokedCompetency, [RevokeCompetencyInput]>('revokeCompetency');

/** Identifies one verification run; audit and ledger keys derive from it. */
export interface CompetencyRun extends CompetencyInput {
  workflowId: string;
  runId: string;
}

export interface CompetencyTransition extends CompetencyRun {
  /** The run's transition counter: a run may pass through the same status more than once. */
  step: number;
  status: CompetencyStatus;
  actor: string;
  catalogVersionId: string;
  reason?: string;
  assessment?: CompetencyAssessment;
  reviewTaskId?: string;
}

/** What a grant earned, and until when it counts: the membership year's end, or the catalog's validity without a membership. */
export interface GrantedCompetency {
  sourceCode: string;
  points: number;
  /** Absent in results recorded before grants followed the membership year. */
  validUntil?: string;
}

/** Sent by the membership at its renewal decision: the grant's re-verification against the catalog then in force. */
export interface CompetencyReverification {
  passed: boolean;
  /** The next term's end when it passed; the current term's end when it did not. */
  validUntil: string;
}

/** What the membership asks at its renewal decision (the `reverifyCompetencies` activity). */
export interface CompetencyReverificationRequest {
  partnerId: string;
  termNumber: number;
  currentTermEnd: string;
  nextTermEnd: string;
  asOf: string;
}

export interface ReverifiedCompetency extends CompetencyReverification {
  code: string;
  /** The verification run that holds the grant, told through `competencyReverifiedSignal`. */
  workflowId: string;
  runId: string;
}

export const competencyReverifiedSignal = defineSignal<[CompetencyReverification]>('competencyReverified');

export interface CompetencyGrant extends CompetencyRun {
  actor: string;
  catalogVersionId: string;
  grantedAt: string;
  validUntil: string;
}

/** Failure type for revoking a competency that is not granted; the API answers 409. */
export const COMPETENCY_NOT_GRANTED = 'CompetencyNotGranted';
