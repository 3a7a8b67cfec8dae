import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { LevelCode, ProgramTerms } from '../../domain/catalog';
import type { RenewalScheduleRules, TermMilestoneKind, TermTiming } from '../../domain/renewal';
import type { NoticeKindCode } from '../../domain/notices';
import type { BenefitPurchaseRenewal } from '../payments/definitions';

/** One membership per partner, started at activation and kept for the partner's lifetime. */
export const membershipWorkflowId = (partnerId: string): string => `membership-${partnerId}`;

export const MEMBERSHIP_STATUSES = [
  'active',
  'renewal_open',
  'awaiting_terms',
  'awaiting_payment',
  'grace',
  'lapsed',
  'withdrawn',
  'consolidated',
] as const;
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
/** The partner accepted the program terms in force (`POST /v1/partners/{id}/terms`): a renewal waiting for them goes on. */
export const termsAcceptedSignal = defineSignal<[{ version: string }]>('termsAccepted');
/** A new catalog version was published: the term's remaining milestones are placed by it. */
export const membershipCatalogChangedSignal = defineSignal('membershipCatalogChanged');

export const membershipStateQuery = defineQuery<MembershipState>('membershipState');

/** Early renewal inside the window: re-qualify and invoice now; the next term still starts at the current end. */
export const renewNowUpdate = defineUpdate<MembershipState, [{ requestedBy: string }]>('renewNow');
/** An administrator reminds the partner of its open renewal now, besides the catalog's notices. */
export const remindRenewalUpdate = defineUpdate<MembershipState, [{ requestedBy: string }]>('remindRenewal');
/**
 * An administrator keeps the partner's current level for the next term although it does not
 * re-qualify (no grandfathering otherwise). Before the decision it applies at the decision;
 * after it, an unpaid invoice for the lower level is voided and the kept level invoiced instead.
 */
export const grantRenewalExceptionUpdate = defineUpdate<MembershipState, [RenewalException]>('grantRenewalException');

// ---------- The contract between the membership workflow and its activities ----------

/** A term as the membership workflow keeps it; times are ISO strings from workflow time. */
export interface MembershipTermRef {
  partnerId: string;
  termNumber: number;
}

export interface OpenMembershipTerm extends MembershipTermRef {
  workflowId: string;
  level: LevelCode;
  termStart: string;
  /** Known when the term was opened before; otherwise the term's length comes from the catalog (or the demo setting). */
  termEnd?: string;
  asOf: string;
}

export interface MembershipTermPlan {
  termEnd: string;
  timing: TermTiming;
  dayMs: number;
  schedule: RenewalScheduleRules;
  catalogVersionId: string;
}

export interface PartnerNotice {
  kind: NoticeKindCode;
  subject: string;
  body: string;
}

/** One step of a term: its audit event, its notice to the partner and what the row shows after it. */
/** What a term start leaves the workflow to do: the auto-renewing purchases of the last term to buy again. Older starts answered nothing. */
export interface MembershipTermStart {
  purchaseRenewals: BenefitPurchaseRenewal[];
}

export interface MembershipStep extends MembershipTermRef {
  /** Names the step within the term, so a retry records and notifies once. */
  step: string;
  action: string;
  actor: string;
  status?: MembershipStatus;
  statusReason?: string | null;
  /** The term's level changed mid-term (an upgrade). */
  level?: LevelCode;
  renewalLevel?: LevelCode | null;
  renewalInvoiceId?: string | null;
  nextMilestone: { kind: string; at: string } | null;
  /** A lapse also ends the partner's membership of the program. */
  partnerStatus?: 'lapsed';
  /** More facts for the step's audit event. */
  details?: Record<string, string | number | boolean | null>;
  notice: PartnerNotice;
  /** Workflow time of the step: entitlements start or end then. Histories before benefits did not carry it. */
  at?: string;
}

export interface RenewalRequalification extends MembershipTermRef {
  currentLevel: LevelCode;
  /** The next term's start (the current end): granted competencies must still be valid then. */
  newTermStart: string;
  asOf: string;
  exception?: RenewalException;
}

export interface RenewalDecision {
  /** The level the partner meets: trailing points window and competencies valid at the new term's start. */
  qualifiedLevel: LevelCode;
  /** The level it renews at: the qualified one, or the current one under an administrator's exception. */
  level: LevelCode;
  points: number;
  competenciesValidAtStart: number;
  catalogVersionId: string;
  graceDays: number;
  unpaidOutcome: 'lapse' | 'downgrade';
  /** The program terms in force that the partner has not accepted: nothing is decided until it does. */
  termsRequired?: ProgramTerms;
}

/** Failure type for a renewal request outside the window (or after the decision); the API answers 409. */
export const RENEWAL_NOT_OPEN = 'RenewalNotOpen';
/** Failure type for an exception that cannot apply (renewal paid, nothing to keep, no reason given). */
export const RENEWAL_EXCEPTION_REFUSED = 'RenewalExceptionRefused';
