import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { CatalogDesignation } from '../../domain/catalog';
import type { DesignationAssessment, DesignationStatus } from '../../domain/designations';

/** One application per partner and designation at a time: applying twice finds the running one. */
export const designationWorkflowId = (partnerId: string, code: string): string => `designation-${partnerId}-${code}`;

export interface DesignationInput {
  partnerId: string;
  code: string;
  /** The partner's row for this designation (`partnerDesignationId`), which every run updates. */
  designationId: string;
  /** The Small Business Specialist Community membership the application names. */
  communityMemberId: string;
  /** The application's request id, the Idempotency-Key's when one was given. */
  requestId: string;
  requestedBy: string;
}

export interface DesignationOutcome {
  status: DesignationStatus;
}

export interface DesignationState {
  status: DesignationStatus;
  validUntil: string | null;
}

export interface RevokeDesignationInput {
  reason: string;
  actor: string;
}

export interface RevokedDesignation {
  status: 'revoked';
}

export const designationStateQuery = defineQuery<DesignationState>('designationState');
export const revokeDesignationUpdate = defineUpdate<RevokedDesignation, [RevokeDesignationInput]>('revokeDesignation');

/** Identifies one application run; audit and notice keys derive from it. */
export interface DesignationRun extends DesignationInput {
  workflowId: string;
  runId: string;
}

/** What the `assessPartnerDesignation` activity checks, at workflow time. */
export interface DesignationAssessmentRequest {
  partnerId: string;
  designation: CatalogDesignation;
  communityMemberId: string;
  windowDays: number;
  asOf: string;
}

export interface DesignationTransition extends DesignationRun {
  /** The run's transition counter, for the audit trail. */
  step: number;
  status: Exclude<DesignationStatus, 'granted' | 'revoked'>;
  actor: string;
  catalogVersionId: string;
  reason?: string;
  assessment?: DesignationAssessment;
  reviewTaskId?: string;
}

export interface DesignationGrant extends DesignationRun {
  actor: string;
  grantedAt: string;
}

/** Valid for the membership year: until the end of the partner's current term (the next one's, after its renewal decision). */
export interface GrantedDesignation {
  validUntil: string;
}

/**
 * Where a grant stands when its validity ends, as the `settleDesignation` activity finds it: still
 * granted with a later end (the renewal re-verified it), or expired now.
 */
export type SettledDesignation = { status: 'granted'; validUntil: string } | { status: 'expired' };

/** Failure type for revoking a designation that is not granted; the API answers 409. */
export const DESIGNATION_NOT_GRANTED = 'DesignationNotGranted';
