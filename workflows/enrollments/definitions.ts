import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { LevelCode } from '../../domain/catalog';
import type { EnrollmentApplication } from '../../domain/enrollment';
import type { PartnerStatus } from '../../domain/partners';

export const enrollmentWorkflowId = (enrollmentId: string): string => `enrollment-${enrollmentId}`;

export interface EnrollmentInput {
  enrollmentId: string;
  partnerId: string;
  /** Only the hash travels through workflow history; the key itself never does. */
  partnerApiKey: { id: string; hash: string };
  application: EnrollmentApplication;
}

/** `withdrawn`: the partner left the program while its enrollment was still open. */
export const ENROLLMENT_STATUSES = [
  'submitted',
  'in_review',
  'awaiting_requirements',
  'awaiting_payment',
  'active',
  'rejected',
  'expired',
  'withdrawn',
] as const;
export type EnrollmentStatus = (typeof ENROLLMENT_STATUSES)[number];

/** The statuses in which an enrollment still runs, so a withdrawal must close it. */
export const OPEN_ENROLLMENT_STATUSES: readonly EnrollmentStatus[] = ['submitted', 'in_review', 'awaiting_payment'];

export interface EnrollmentProgress {
  status: EnrollmentStatus;
  reviewTaskId: string | null;
  reviewDueAt: string | null;
}

export const enrollmentProgressQuery = defineQuery<EnrollmentProgress>('enrollmentProgress');

/**
 * Completes once the partner, its key and the enrollment are recorded, with the enrollment's
 * status then: the API waits for it so that the key it hands out works at once.
 */
/** The partner withdrew: an enrollment still under review closes undecided. */
export const enrollmentWithdrawnSignal = defineSignal<[{ actor: string; reason: string }]>('enrollmentWithdrawn');

export const enrollmentRecordedUpdate = defineUpdate<EnrollmentStatus>('enrollmentRecorded');

/** The enrollment timeline, in the order a partner goes through it. */
export const ENROLLMENT_STEPS = ['validate', 'record', 'review', 'requirements', 'payment', 'activation'] as const;
export type EnrollmentStepName = (typeof ENROLLMENT_STEPS)[number];
export type EnrollmentStepStatus = 'completed' | 'waiting' | 'pending' | 'approved' | 'rejected' | 'expired' | 'failed' | 'cancelled';

export interface StepUpdate {
  name: EnrollmentStepName;
  status: EnrollmentStepStatus;
  detail?: string;
}

/** What the `transitionEnrollment` activity records: the enrollment's new status, its steps and the partner's. */
export interface EnrollmentTransition {
  workflowId: string;
  enrollmentId: string;
  partnerId: string;
  actor: string;
  /** Audit action, unique per workflow, e.g. `enrollment.in_review`. */
  action: string;
  status: EnrollmentStatus;
  reason?: string;
  steps: StepUpdate[];
  /** The partner's new status; `targetLevel`: the level it asked for and joins below, to reach later. */
  partner?: { status: PartnerStatus; level?: LevelCode; activated?: boolean; targetLevel?: LevelCode };
}
