import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  ParentClosePolicy,
  patched,
  proxyActivities,
  setHandler,
  startChild,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { LEVEL_CODES, type LevelCode, levelRank } from '../../domain/catalog';
import { renewalFeeRules, termEndAt, type TermMilestone, termMilestones } from '../../domain/renewal';
import { DEFAULT_ACTIVITY_OPTIONS } from '../activity-options';
import { competencyReverifiedSignal } from '../competencies/definitions';
import { type BenefitPurchaseRenewal, benefitPurchaseWorkflowId } from '../payments/definitions';
import {
  grantRenewalExceptionUpdate,
  type MembershipConsolidation,
  membershipCatalogChangedSignal,
  membershipConsolidatedSignal,
  type MembershipInput,
  type MembershipLevelChange,
  membershipLevelChangedSignal,
  type MembershipOutcome,
  type MembershipState,
  membershipStateQuery,
  type MembershipStep,
  type MembershipTermPlan,
  type MembershipWithdrawal,
  membershipWithdrawnSignal,
  type PartnerNotice,
  RENEWAL_EXCEPTION_REFUSED,
  RENEWAL_NOT_OPEN,
  remindRenewalUpdate,
  type RenewalDecision,
  type RenewalException,
  renewNowUpdate,
  termsAcceptedSignal,
} from './definitions';
import * as notices from './notices';
import { RenewalFee } from './renewal-fee';

const { openMembershipTerm, startMembershipTerm, transitionMembership, requalifyForRenewal, reverifyCompetencies, quoteFee } =
  proxyActivities<Activities>(DEFAULT_ACTIVITY_OPTIONS);

/** Before purchases could auto-renew, a term start started nothing. */
const TERM_RENEWS_PURCHASES = 'term-renews-purchases';

/** Before competencies followed the membership year, the decision did not re-verify them. */
const RENEWAL_REVERIFIES_COMPETENCIES = 'renewal-reverifies-competencies';

type Stop = { status: 'withdrawn'; withdrawal: MembershipWithdrawal } | { status: 'consolidated'; consolidation: MembershipConsolidation };
type StepChange = Omit<MembershipStep, 'partnerId' | 'termNumber' | 'nextMilestone' | 'actor'> & { actor?: string };

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * A partner's membership, one term per run: the term starts (its level takes effect), the
 * renewal window opens, at the decision point the partner is re-qualified and invoiced through
 * a fee-payment child due at the term end, notices go out at the catalog's offsets, and then
 * either the paid renewal continues as new into the next term (starting at the current end),
 * or the unpaid one lapses or drops to Registered once online benefits' grace has passed.
 * Withdrawal and consolidation end it cleanly.
 */
export async function membershipWorkflow(input: MembershipInput): Promise<MembershipOutcome> {
  const term = new MembershipTerm(input);
  term.acceptRequests();
  await term.open();
  term.acceptReminders();

  for (;;) {
    if (term.stop) return term.end(term.stop);
    term.fee?.rethrowFailure();
    if (term.decision && !term.fee) return term.continueIntoNextTerm(term.decision.level);
    if (term.fee?.outcome === 'paid') return term.continueIntoNextTerm(term.fee.level);
    if (term.fee?.outcome === 'void') return term.renewalUnpaid();
    if (term.termsLapsed) {
      return term.lapse(
        'The program terms in force were not accepted before the grace period ended',
        notices.lapsedNotice('The new program terms were not accepted.'),
      );
    }
    if (term.levelChange) {
      await term.changeLevel(term.levelChange);
      continue;
    }
    if (term.catalogChanged) {
      await term.replan();
      continue;
    }
    if (term.requestedException) {
      await term.grantException(term.requestedException);
      continue;
    }
    if (term.termsAcceptedNow()) {
      await term.decide('partner');
      continue;
    }
    if (term.renewNowBy && !term.decision && !term.termsRequired) {
      await term.decide(term.renewNowBy);
      continue;
    }
    if (workflowInfo().continueAsNewSuggested && !term.decision) return term.continueMidTerm();
    await term.waitForNextMilestone();
  }
}

/** One run's term: its state, what it was asked, and each step it takes. The loop above decides which. */
class MembershipTerm {
  private readonly workflowId = workflowInfo().workflowId;
  private readonly ref: { partnerId: string; termNumber: number };
  private readonly termStart: string;
  private readonly completed: string[];
  readonly state: MembershipState;
  private plan!: MembershipTermPlan;
  private exception: RenewalException | undefined;
  requestedException: RenewalException | undefined;
  stop: Stop | undefined;
  levelChange: MembershipLevelChange | undefined;
  catalogChanged = false;
  renewNowBy: string | undefined;
  decision: RenewalDecision | undefined;
  /** The decision is taken and its invoice (if the level has a fee) issued. */
  private invoiced = false;
  /** The program terms version the decision waits for the partner to accept; then what it accepted. */
  termsRequired: string | undefined;
  private termsAccepted: string | undefined;
  /** The grace period ended with the terms still not accepted. */
  termsLapsed = false;
  fee: RenewalFee | undefined;
  private ended = false;

  constructor(private readonly input: MembershipInput) {
    this.ref = { partnerId: input.partnerId, termNumber: input.termNumber };
    this.termStart = input.termStart ?? iso(Date.now());
    this.completed = [...(input.completedMilestones ?? [])];
    this.exception = input.exception;
    this.state = {
      partnerId: input.partnerId,
      status: this.completed.includes('window-opens') ? 'renewal_open' : 'active',
      term: { number: input.termNumber, start: this.termStart, end: input.termEnd ?? this.termStart, level: input.level },
      renewalLevel: null,
      renewalInvoiceId: null,
      nextMilestone: null,
    };
  }

  /** The query, the signals and the two renewal updates, taken from the run's first moment. */
  acceptRequests(): void {
    const { termNumber } = this.ref;
    setHandler(membershipStateQuery, () => this.state);
    setHandler(membershipWithdrawnSignal, (withdrawal) => void (this.stop ??= { status: 'withdrawn', withdrawal }));
    setHandler(membershipConsolidatedSignal, (consolidation) => void (this.stop ??= { status: 'consolidated', consolidation }));
    setHandler(membershipLevelChangedSignal, (change) => void (this.levelChange = change));
    setHandler(membershipCatalogChangedSignal, () => void (this.catalogChanged = true));
    setHandler(termsAcceptedSignal, ({ version }) => void (this.termsAccepted = version));
    setHandler(
      renewNowUpdate,
      async ({ requestedBy }) => {
        this.renewNowBy = requestedBy;
        await condition(() => this.invoiced || this.stop !== undefined || this.termsRequired !== undefined);
        return this.state;
      },
      {
        validator: (_request) => {
          if (this.state.status !== 'renewal_open' || this.renewNowBy || this.decision || this.stop) {
            throw ApplicationFailure.nonRetryable(
              `The renewal of term ${termNumber} is not open for an early decision (${this.state.status})`,
              RENEWAL_NOT_OPEN,
            );
          }
        },
      },
    );
    setHandler(
      grantRenewalExceptionUpdate,
      async (request) => {
        this.requestedException = request;
        await condition(() => this.requestedException === undefined || this.stop !== undefined);
        return this.state;
      },
      {
        validator: (request) => {
          const refuse = (why: string) => ApplicationFailure.nonRetryable(why, RENEWAL_EXCEPTION_REFUSED);
          if (!request.reason.trim() || !request.actor.trim()) throw refuse('An exception names who grants it and why');
          if (this.exception || this.requestedException || this.stop || this.ended) {
            throw refuse(`No exception can be granted for term ${termNumber} now`);
          }
          const { decision, fee } = this;
          if (decision && (!fee || fee.outcome !== null || levelRank(decision.level) >= levelRank(this.state.term.level))) {
            throw refuse(`The renewal at ${decision.level} keeps nothing an exception could`);
          }
        },
      },
    );
  }

  /** A reminder needs the term's plan, so it is taken once the term is open; an earlier one waits for it. */
  acceptReminders(): void {
    setHandler(
      remindRenewalUpdate,
      async ({ requestedBy }) => {
        const invoice = this.state.renewalInvoiceId ? { id: this.state.renewalInvoiceId, level: this.state.renewalLevel } : null;
        await this.step({
          step: `reminder:${uuid4()}`,
          action: 'membership.renewal_reminded',
          actor: requestedBy,
          notice: notices.renewalReminderNotice(this.plan.termEnd, invoice, this.unpaid()),
        });
        return this.state;
      },
      {
        validator: (request) => {
          if (this.ended || !request.requestedBy || !['renewal_open', 'awaiting_payment', 'grace'].includes(this.state.status)) {
            throw ApplicationFailure.nonRetryable(
              `The renewal of term ${this.ref.termNumber} is not open (${this.state.status})`,
              RENEWAL_NOT_OPEN,
            );
          }
        },
      },
    );
  }

  /** Puts the term on record (or finds it there) and places its milestones under the catalog in force. */
  async open(): Promise<void> {
    this.plan = await openMembershipTerm({
      ...this.ref,
      workflowId: this.workflowId,
      level: this.input.level,
      termStart: this.termStart,
      termEnd: this.input.termEnd,
      asOf: iso(Date.now()),
    });
    this.state.term.end = this.plan.termEnd;
  }

  private termEndMs(): number {
    return Date.parse(this.plan.termEnd);
  }

  private graceEndsAt(): number {
    return this.termEndMs() + (this.decision?.graceDays ?? this.plan.schedule.onlineBenefitsGraceDays) * this.plan.dayMs;
  }

  /** When an unpaid renewal takes effect, and what it leads to. */
  private unpaid(): { at: string; consequence: string } {
    return { at: iso(this.graceEndsAt()), consequence: notices.unpaidConsequence(this.decision?.unpaidOutcome) };
  }

  private remaining(): TermMilestone[] {
    return termMilestones({ startMs: Date.parse(this.termStart), endMs: this.termEndMs() }, this.plan.schedule, this.plan.dayMs).filter(
      (milestone) => !this.completed.includes(milestone.key),
    );
  }

  private upcoming(): MembershipState['nextMilestone'] {
    if (this.ended) return null;
    const next = this.remaining()[0];
    if (next) return { kind: next.kind, at: iso(next.at) };
    return this.fee || this.termsRequired ? { kind: 'grace-ends', at: iso(this.graceEndsAt()) } : null;
  }

  /** One step of the term: the state, then its row, audit event and notice through one activity. */
  private async step(change: StepChange): Promise<void> {
    if (change.status) this.state.status = change.status;
    this.state.nextMilestone = this.upcoming();
    await transitionMembership({ ...this.ref, actor: 'system', ...change, nextMilestone: this.state.nextMilestone, at: iso(Date.now()) });
  }

  /** Invoices the renewal at `level`, or, when that level has no fee, leaves nothing to pay. */
  private async invoiceRenewal(level: LevelCode, actor: string): Promise<void> {
    const { partnerId, termNumber } = this.ref;
    const now = Date.now();
    const quote = await quoteFee({ partnerId, purpose: 'renewal', level, asOf: iso(now) });
    if (!quote.draft) return;
    const fee = RenewalFee.issue(level, {
      partnerId,
      purpose: 'renewal',
      subjectId: partnerId,
      draft: quote.draft,
      catalogVersionId: quote.catalogVersionId,
      dueAt: this.plan.termEnd,
      rules: renewalFeeRules(quote.rules, {
        nowMs: now,
        termEndMs: this.termEndMs(),
        graceDays: this.decision!.graceDays,
        dayMs: this.plan.dayMs,
      }),
    });
    this.fee = fee;
    this.state.renewalInvoiceId = fee.invoiceId;
    await this.step({
      step: `invoiced:${fee.invoiceId}`,
      action: 'membership.renewal_invoiced',
      actor,
      status: 'awaiting_payment',
      renewalLevel: level,
      renewalInvoiceId: fee.invoiceId,
      details: { invoiceId: fee.invoiceId, level, dueAt: this.plan.termEnd, voidAt: iso(this.graceEndsAt()) },
      notice: notices.renewalInvoicedNotice({ termNumber, termEnd: this.plan.termEnd, invoiceId: fee.invoiceId, level }, this.unpaid()),
    });
  }

  private async cancelFee(): Promise<void> {
    if (!this.fee) return;
    await this.fee.cancel();
    this.fee = undefined;
  }

  /** The decision point (or an early renewal): re-qualify the partner and invoice the level it renews at. */
  async decide(actor: string): Promise<void> {
    this.completed.push('decision');
    if (patched(RENEWAL_REVERIFIES_COMPETENCIES)) await this.reverifyCompetencies();
    const decision = await requalifyForRenewal({
      ...this.ref,
      currentLevel: this.state.term.level,
      newTermStart: this.plan.termEnd,
      asOf: iso(Date.now()),
      ...(this.exception ? { exception: this.exception } : {}),
    });
    if (decision.termsRequired) {
      this.termsRequired = decision.termsRequired.version;
      await this.step({
        step: `terms-required:${this.termsRequired}`,
        action: 'membership.terms_required',
        status: 'awaiting_terms',
        details: { version: this.termsRequired },
        notice: notices.termsRequiredNotice(decision.termsRequired, this.unpaid()),
      });
      return;
    }
    this.termsRequired = undefined;
    this.decision = decision;
    this.state.renewalLevel = this.decision.level;
    await this.invoiceRenewal(this.decision.level, actor);
    this.invoiced = true;
  }

  /** Whether the partner has just accepted the terms the decision waits for. */
  termsAcceptedNow(): boolean {
    return this.termsRequired !== undefined && this.termsAccepted === this.termsRequired;
  }

  /**
   * Each competency the partner holds is assessed again against the catalog in force: a pass
   * carries it into the next term, a fail ends it with this one. Its holding workflow is told.
   */
  private async reverifyCompetencies(): Promise<void> {
    const reverified = await reverifyCompetencies({
      ...this.ref,
      currentTermEnd: this.plan.termEnd,
      nextTermEnd: iso(termEndAt(this.termEndMs(), this.plan.timing)),
      asOf: iso(Date.now()),
    });
    await Promise.all(
      reverified.map(({ workflowId, runId, passed, validUntil }) =>
        getExternalWorkflowHandle(workflowId, runId)
          .signal(competencyReverifiedSignal, { passed, validUntil })
          .catch(() => undefined),
      ),
    );
  }

  /**
   * Buys each auto-renewing subscription of the last term again for this one: a purchase workflow
   * of its own (abandoned by this run, which continues as new), priced at this term's member price
   * and invoiced like any purchase; its subscription is granted once paid. The purchase id derives
   * from the renewed one, so a second start finds it started.
   */
  private async renewPurchases(renewals: BenefitPurchaseRenewal[]): Promise<void> {
    const { partnerId } = this.ref;
    for (const renewal of renewals) {
      await startChild('benefitPurchaseWorkflow', {
        workflowId: benefitPurchaseWorkflowId(partnerId, renewal.purchaseId),
        args: [{ ...renewal, partnerId, autoRenew: true }],
        parentClosePolicy: ParentClosePolicy.ABANDON,
      }).catch(() => undefined);
    }
  }

  private async runMilestone(milestone: TermMilestone): Promise<void> {
    const { termNumber } = this.ref;
    this.completed.push(milestone.key);
    if (milestone.kind === 'term-starts') {
      this.state.nextMilestone = this.upcoming();
      const started = await startMembershipTerm({
        ...this.ref,
        level: this.state.term.level,
        asOf: iso(Date.now()),
        nextMilestone: this.state.nextMilestone,
      });
      // Older term starts answered nothing; a start with nothing to renew issues no command, so needs no marker.
      const renewals = started?.purchaseRenewals ?? [];
      if (renewals.length && patched(TERM_RENEWS_PURCHASES)) await this.renewPurchases(renewals);
    } else if (milestone.kind === 'window-opens') {
      const decisionAt = this.termEndMs() - this.plan.schedule.renewal.decisionDaysBeforeEnd * this.plan.dayMs;
      await this.step({
        step: 'window-opened',
        action: 'membership.renewal_window_opened',
        status: 'renewal_open',
        notice: notices.windowOpenedNotice(termNumber, this.plan.termEnd, iso(decisionAt)),
      });
    } else if (milestone.kind === 'decision') {
      if (!this.decision && !this.termsRequired) await this.decide('system');
    } else if (milestone.kind === 'term-ends') {
      await this.step({
        step: 'term-ended',
        action: 'membership.grace_started',
        status: 'grace',
        statusReason: `The renewal is ${this.termsRequired ? 'waiting for the program terms' : 'unpaid'} at the term end; online benefits continue until ${iso(this.graceEndsAt())}`,
        notice: notices.graceStartedNotice(termNumber, this.unpaid()),
      });
    } else {
      const days = milestone.daysFromEnd;
      await this.step({
        step: `notice:${days}`,
        action: 'membership.renewal_notice',
        details: { daysFromEnd: days, invoiceId: this.state.renewalInvoiceId },
        notice: notices.renewalNotice(
          days,
          { id: this.state.renewalInvoiceId, level: this.state.renewalLevel ?? this.state.term.level },
          this.unpaid(),
        ),
      });
    }
  }

  /** Sleeps until the next milestone, running it when its time comes, or wakes early for a request. */
  async waitForNextMilestone(): Promise<void> {
    const next = this.remaining()[0];
    this.state.nextMilestone = this.upcoming();
    const woken = () =>
      this.stop !== undefined ||
      this.levelChange !== undefined ||
      this.catalogChanged ||
      this.requestedException !== undefined ||
      this.termsAcceptedNow() ||
      (this.renewNowBy !== undefined && !this.decision && !this.termsRequired) ||
      (this.fee !== undefined && this.fee.outcome !== null);
    if (!next && this.termsRequired) {
      this.termsLapsed = !(await condition(woken, Math.max(1, this.graceEndsAt() - Date.now())));
    } else if (!next) {
      await condition(woken);
    } else if (!(await condition(woken, Math.max(1, next.at - Date.now())))) {
      await this.runMilestone(next);
    }
  }

  /** An approved upgrade: the term carries the new level from now on. */
  async changeLevel(change: MembershipLevelChange): Promise<void> {
    this.levelChange = undefined;
    this.state.term.level = change.level;
    await this.step({
      step: `level-changed:${uuid4()}`,
      action: 'membership.level_changed',
      level: change.level,
      details: { level: change.level, cause: change.cause },
      notice: notices.levelChangedNotice(change.level, change.cause),
    });
  }

  /** A new catalog version: the term's remaining milestones are placed by it. */
  async replan(): Promise<void> {
    this.catalogChanged = false;
    this.plan = await openMembershipTerm({
      ...this.ref,
      workflowId: this.workflowId,
      level: this.state.term.level,
      termStart: this.termStart,
      termEnd: this.plan.termEnd,
      asOf: iso(Date.now()),
    });
  }

  /** Keeps the current level for the next term; after the decision, the lower invoice is voided and this one issued. */
  async grantException(exception: RenewalException): Promise<void> {
    this.exception = exception;
    await this.step({
      step: 'exception',
      action: 'membership.renewal_exception_granted',
      actor: exception.actor,
      details: { keptLevel: this.state.term.level, reason: exception.reason },
      notice: notices.exceptionGrantedNotice(this.state.term.level, exception.reason),
    });
    if (this.decision) {
      await this.cancelFee();
      this.decision = { ...this.decision, level: this.state.term.level };
      this.state.renewalLevel = this.decision.level;
      await this.invoiceRenewal(this.decision.level, exception.actor);
    }
    this.requestedException = undefined;
  }

  /** Withdrawal or consolidation: an open renewal invoice is voided and the membership ends. */
  async end(stop: Stop): Promise<MembershipOutcome> {
    await this.cancelFee();
    this.ended = true;
    await this.step(
      stop.status === 'withdrawn'
        ? {
            step: 'withdrawn',
            action: 'membership.withdrawn',
            actor: stop.withdrawal.requestedBy,
            status: 'withdrawn',
            statusReason: stop.withdrawal.reason,
            notice: notices.withdrawnNotice(stop.withdrawal),
          }
        : {
            step: 'consolidated',
            action: 'membership.consolidated',
            status: 'consolidated',
            statusReason: `Absorbed by partner ${stop.consolidation.survivorId}`,
            details: { ...stop.consolidation },
            notice: notices.consolidatedNotice(stop.consolidation),
          },
    );
    return this.finish(stop.status);
  }

  /** The renewal invoice went unpaid past the grace period: the catalog says lapse, or a Registered term. */
  async renewalUnpaid(): Promise<MembershipOutcome> {
    this.fee = undefined;
    if (this.decision!.unpaidOutcome === 'downgrade') {
      await this.step({
        step: 'unpaid-downgraded',
        action: 'membership.renewal_unpaid',
        statusReason: 'Unpaid after the grace period: the next term is at registered',
        details: { unpaidOutcome: 'downgrade' },
        notice: notices.unpaidDowngradeNotice,
      });
      return this.continueIntoNextTerm(LEVEL_CODES[0]);
    }
    return this.lapse('Unpaid after the grace period', notices.lapsedNotice());
  }

  /** The membership ends, and with it the partner's place in the program. */
  async lapse(statusReason: string, notice: PartnerNotice): Promise<MembershipOutcome> {
    this.ended = true;
    await this.step({
      step: 'lapsed',
      action: 'membership.lapsed',
      status: 'lapsed',
      statusReason,
      partnerStatus: 'lapsed',
      notice,
    });
    return this.finish('lapsed');
  }

  private async finish(status: MembershipOutcome['status']): Promise<MembershipOutcome> {
    await condition(allHandlersFinished);
    return { status, termNumber: this.ref.termNumber };
  }

  /** The next term starts at this one's end, never at the payment date. */
  async continueIntoNextTerm(level: LevelCode): Promise<never> {
    await condition(allHandlersFinished);
    return continueAsNew<typeof membershipWorkflow>({
      partnerId: this.ref.partnerId,
      termNumber: this.ref.termNumber + 1,
      level,
      termStart: this.plan.termEnd,
    });
  }

  /** A long term's next chapter: the same term, carrying the milestones already passed and any exception. */
  async continueMidTerm(): Promise<never> {
    await condition(allHandlersFinished);
    return continueAsNew<typeof membershipWorkflow>({
      ...this.ref,
      level: this.state.term.level,
      termStart: this.termStart,
      termEnd: this.plan.termEnd,
      completedMilestones: this.completed,
      ...(this.exception ? { exception: this.exception } : {}),
    });
  }
}
