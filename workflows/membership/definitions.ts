import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { LevelCode } from '../../domain/catalog';
import type { TermMilestoneKind } from '../../domain/renewal';

/** One membership per partner, started at activation and kept for the partner's lifetime. */
export const membershipWorkflowId = (partnerId: string): string => `membership-${partnerId}`;

export const MEMBERSHIP_STATUSES = ['active', 'renewal_open', 'awaiting_payment', 'grace', 'lapsed', 'withdrawn', 'consolidated'] as const;
export type MembershipStatus = (typeof MEMBERSHIP_STATUSES)[number];

/** One run keeps one term; the next term (or a long term's next chapter) continues as new with this. */
export interface MembershipInput {
  partnerId: string;
  /** 1 for the term that starts at activation. */
  termNumber: number;
  level: LevelCode;
  /** ISO time; the first term starts at activation (by default when this workflow started), later ones at the previous end. */
  termStart?: string;
  /** Carried by a run that continues as new mid-term, so the term keeps the end it opened with. */
  termEnd?: string;
  /** Milestone keys of this term that already happened, carried across a mid-term continue-as-new. */
  completedMilestones?: string[];
  /** An administrator's documented exception for this term's renewal, carried likewise. */
  exception?: RenewalException;
}

export interface MembershipTermView {
  number: number;
  start: string;
  end: string;
  level: LevelCode;
}

export interface MembershipState {
  partnerId: string;
  status: MembershipStatus;
  term: MembershipTermView;
  /** The level the partner re-qualified for at the decision point; null before it. */
  renewalLevel: LevelCode | null;
  renewalInvoiceId: string | null;
  /** What the workflow waits for next: a milestone of the term, or the end of the renewal invoice's grace. */
  nextMilestone: { kind: TermMilestoneKind | 'grace-ends'; at: string } | null;
}

export interface MembershipOutcome {
  status: Extract<MembershipStatus, 'lapsed' | 'withdrawn' | 'consolidated'>;
  termNumber: number;
}

export interface RenewalException {
  actor: string;
  reason: string;
}

export interface MembershipWithdrawal {
  reason: string;
  requestedBy: string;
}

export interface MembershipConsolidation {
  consolidationId: string;
  /** The partner that absorbed this one. */
  survivorId: string;
}

export interface MembershipLevelChange {
  level: LevelCode;
  cause: string;
}

/** The withdrawal workflow tells the membership the partner left; it ends without renewing. */
export const membershipWithdrawnSignal = defineSignal<[MembershipWithdrawal]>('membershipWithdrawn');
/** Another partner absorbed this one: the membership ends as `consolidated`. */
export const membershipConsolidatedSignal = defineSignal<[MembershipConsolidation]>('membershipConsolidated');
/** The partner's level changed mid-term (an approved upgrade): the term carries the new level. */
export const membershipLevelChangedSignal = defineSignal<[MembershipLevelChange]>('membershipLevelChanged');
/** A new catalog version was published: the term's remaining milestones are placed by it. */
export const membershipCatalogChangedSignal = defineSignal('membershipCatalogChanged');

export const membershipStateQuery = defineQuery<MembershipState>('membershipState');

/** Early renewal inside the window: re-qualify and invoice now; the next term still starts at the current end. */
export const renewNowUpdate = defineUpdate<MembershipState, [{ requestedBy: string }]>('renewNow');
/**
 * An administrator keeps the partner's current level for the next term although it does not
 * re-qualify (no grandfathering otherwise). Before the decision it applies at the decision;
 * after it, an unpaid invoice for the lower level is voided and the kept level invoiced instead.
 */
/** An administrator reminds the partner of its open renewal now, besides the catalog's notices. */
export const remindRenewalUpdate = defineUpdate<MembershipState, [{ requestedBy: string }]>('remindRenewal');
export const grantRenewalExceptionUpdate = defineUpdate<MembershipState, [RenewalException]>('grantRenewalException');

/** Failure type for a renewal request outside the window (or after the decision); the API answers 409. */
export const RENEWAL_NOT_OPEN = 'RenewalNotOpen';
/** Failure type for an exception that cannot apply (renewal paid, nothing to keep, no reason given). */
export const RENEWAL_EXCEPTION_REFUSED = 'RenewalExceptionRefused';
