import {
  allHandlersFinished,
  ApplicationFailure,
  CancellationScope,
  condition,
  continueAsNew,
  executeChild,
  isCancellation,
  proxyActivities,
  setHandler,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../../activities';
import type { MembershipStep, RenewalDecision } from '../../activities/membership';
import { LEVEL_CODES, type LevelCode } from '../../domain/catalog';
import { renewalFeeRules, type TermMilestone, termMilestones } from '../../domain/renewal';
import { DEFAULT_ACTIVITY_OPTIONS } from '../activity-options';
import { feePaymentWorkflowId } from '../fees/definitions';
import { feePaymentWorkflow } from '../fees/workflow';
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
  type MembershipWithdrawal,
  membershipWithdrawnSignal,
  RENEWAL_EXCEPTION_REFUSED,
  RENEWAL_NOT_OPEN,
  remindRenewalUpdate,
  type RenewalException,
  renewNowUpdate,
} from './definitions';

const { openMembershipTerm, startMembershipTerm, transitionMembership, requalifyForRenewal, quoteFee } =
  proxyActivities<Activities>(DEFAULT_ACTIVITY_OPTIONS);

type Stop = { status: 'withdrawn'; withdrawal: MembershipWithdrawal } | { status: 'consolidated'; consolidation: MembershipConsolidation };

/** The renewal invoice's fee-payment child, cancellable when the renewal is called off or re-invoiced. */
interface RenewalFee {
  invoiceId: string;
  level: LevelCode;
  scope: CancellationScope;
  outcome: 'paid' | 'void' | 'cancelled' | 'failed' | null;
  failure?: unknown;
  settled: Promise<void>;
}

const rankOf = (level: LevelCode) => LEVEL_CODES.indexOf(level);
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
  const { workflowId } = workflowInfo();
  const { partnerId, termNumber } = input;
  const term = { partnerId, termNumber };
  const termStart = input.termStart ?? iso(Date.now());
  const completed = [...(input.completedMilestones ?? [])];

  const state: MembershipState = {
    partnerId,
    status: completed.includes('window-opens') ? 'renewal_open' : 'active',
    term: { number: termNumber, start: termStart, end: input.termEnd ?? termStart, level: input.level },
    renewalLevel: null,
    renewalInvoiceId: null,
    nextMilestone: null,
  };
  let exception = input.exception;
  let requestedException: RenewalException | undefined;
  let stop: Stop | undefined;
  let levelChange: MembershipLevelChange | undefined;
  let catalogChanged = false;
  let renewNowBy: string | undefined;
  let decision: RenewalDecision | undefined;
  /** The decision is taken and its invoice (if the level has a fee) issued. */
  let invoiced = false;
  let fee: RenewalFee | undefined;
  let ended = false;

  setHandler(membershipStateQuery, () => state);
  setHandler(membershipWithdrawnSignal, (withdrawal) => void (stop ??= { status: 'withdrawn', withdrawal }));
  setHandler(membershipConsolidatedSignal, (consolidation) => void (stop ??= { status: 'consolidated', consolidation }));
  setHandler(membershipLevelChangedSignal, (change) => void (levelChange = change));
  setHandler(membershipCatalogChangedSignal, () => void (catalogChanged = true));
  setHandler(
    renewNowUpdate,
    async ({ requestedBy }) => {
      renewNowBy = requestedBy;
      await condition(() => invoiced || stop !== undefined);
      return state;
    },
    {
      validator: (_request) => {
        if (state.status !== 'renewal_open' || renewNowBy || decision || stop) {
          throw ApplicationFailure.nonRetryable(
            `The renewal of term ${termNumber} is not open for an early decision (${state.status})`,
            RENEWAL_NOT_OPEN,
          );
        }
      },
    },
  );
  setHandler(
    grantRenewalExceptionUpdate,
    async (request) => {
      requestedException = request;
      await condition(() => requestedException === undefined || stop !== undefined);
      return state;
    },
    {
      validator: (request) => {
        const refuse = (why: string) => ApplicationFailure.nonRetryable(why, RENEWAL_EXCEPTION_REFUSED);
        if (!request.reason.trim() || !request.actor.trim()) throw refuse('An exception names who grants it and why');
        if (exception || requestedException || stop || ended) throw refuse(`No exception can be granted for term ${termNumber} now`);
        if (decision && (!fee || fee.outcome !== null || rankOf(decision.level) >= rankOf(state.term.level))) {
          throw refuse(`The renewal at ${decision.level} keeps nothing an exception could`);
        }
      },
    },
  );

  let plan = await openMembershipTerm({
    ...term,
    workflowId,
    level: input.level,
    termStart,
    termEnd: input.termEnd,
    asOf: iso(Date.now()),
  });
  state.term.end = plan.termEnd;
  const termEndMs = () => Date.parse(plan.termEnd);
  const graceEndsAt = () => termEndMs() + (decision?.graceDays ?? plan.schedule.onlineBenefitsGraceDays) * plan.dayMs;
  const remaining = (): TermMilestone[] =>
    termMilestones({ startMs: Date.parse(termStart), endMs: termEndMs() }, plan.schedule, plan.dayMs).filter(
      (milestone) => !completed.includes(milestone.key),
    );
  const upcoming = (): MembershipState['nextMilestone'] => {
    if (ended) return null;
    const next = remaining()[0];
    if (next) return { kind: next.kind, at: iso(next.at) };
    return fee ? { kind: 'grace-ends', at: iso(graceEndsAt()) } : null;
  };

  type StepChange = Omit<MembershipStep, 'partnerId' | 'termNumber' | 'nextMilestone' | 'actor'> & { actor?: string };
  const step = async (change: StepChange) => {
    if (change.status) state.status = change.status;
    state.nextMilestone = upcoming();
    await transitionMembership({ ...term, actor: 'system', ...change, nextMilestone: state.nextMilestone });
  };
  const unpaidConsequence = () => (decision?.unpaidOutcome === 'downgrade' ? 'the next term is at registered' : 'the membership lapses');

  // Registered once `step` exists; an update that came earlier waits for its handler.
  setHandler(
    remindRenewalUpdate,
    async ({ requestedBy }) => {
      await step({
        step: `reminder:${uuid4()}`,
        action: 'membership.renewal_reminded',
        actor: requestedBy,
        notice: {
          kind: 'renewal-reminder',
          subject: `Your membership ends on ${plan.termEnd}`,
          body: state.renewalInvoiceId
            ? `Renewal invoice ${state.renewalInvoiceId} at ${state.renewalLevel} is unpaid; unpaid on ${iso(graceEndsAt())}, ${unpaidConsequence()}.`
            : `Your renewal is open: you may renew now, or you are re-qualified and invoiced at the decision point.`,
        },
      });
      return state;
    },
    {
      validator: (request) => {
        if (ended || !request.requestedBy || !['renewal_open', 'awaiting_payment', 'grace'].includes(state.status)) {
          throw ApplicationFailure.nonRetryable(`The renewal of term ${termNumber} is not open (${state.status})`, RENEWAL_NOT_OPEN);
        }
      },
    },
  );

  /** Invoices the renewal at `level`, or, when that level has no fee, leaves nothing to pay. */
  const invoiceRenewal = async (level: LevelCode, actor: string) => {
    const now = Date.now();
    const quote = await quoteFee({ partnerId, purpose: 'renewal', level, asOf: iso(now) });
    if (!quote.draft) return;
    const invoiceId = uuid4();
    const scope = new CancellationScope();
    const pending: RenewalFee = { invoiceId, level, scope, outcome: null, settled: Promise.resolve() };
    pending.settled = scope
      .run(() =>
        executeChild(feePaymentWorkflow, {
          workflowId: feePaymentWorkflowId(invoiceId),
          args: [
            {
              invoiceId,
              partnerId,
              purpose: 'renewal',
              subjectId: partnerId,
              draft: quote.draft!,
              catalogVersionId: quote.catalogVersionId,
              dueAt: plan.termEnd,
              rules: renewalFeeRules(quote.rules, {
                nowMs: now,
                termEndMs: termEndMs(),
                graceDays: decision!.graceDays,
                dayMs: plan.dayMs,
              }),
            },
          ],
        }),
      )
      .then(
        (outcome) => void (pending.outcome = outcome.status),
        (error: unknown) => {
          pending.outcome = isCancellation(error) ? 'cancelled' : 'failed';
          pending.failure = error;
        },
      );
    fee = pending;
    state.renewalInvoiceId = invoiceId;
    await step({
      step: `invoiced:${invoiceId}`,
      action: 'membership.renewal_invoiced',
      actor,
      status: 'awaiting_payment',
      renewalLevel: level,
      renewalInvoiceId: invoiceId,
      details: { invoiceId, level, dueAt: plan.termEnd, voidAt: iso(graceEndsAt()) },
      notice: {
        kind: 'renewal-invoiced',
        subject: `Renewal invoice for term ${termNumber + 1} at ${level}`,
        body: `Invoice ${invoiceId} is due on ${plan.termEnd}, when term ${termNumber} ends; unpaid on ${iso(graceEndsAt())}, ${unpaidConsequence()}. The next term starts on ${plan.termEnd}.`,
      },
    });
  };

  const cancelFee = async () => {
    if (!fee) return;
    if (fee.outcome === null) fee.scope.cancel();
    await fee.settled;
    fee = undefined;
  };

  const decide = async (actor: string) => {
    completed.push('decision');
    decision = await requalifyForRenewal({
      ...term,
      currentLevel: state.term.level,
      newTermStart: plan.termEnd,
      asOf: iso(Date.now()),
      ...(exception ? { exception } : {}),
    });
    state.renewalLevel = decision.level;
    await invoiceRenewal(decision.level, actor);
    invoiced = true;
  };

  const runMilestone = async (milestone: TermMilestone) => {
    completed.push(milestone.key);
    if (milestone.kind === 'term-starts') {
      state.nextMilestone = upcoming();
      await startMembershipTerm({ ...term, level: state.term.level, asOf: iso(Date.now()), nextMilestone: state.nextMilestone });
    } else if (milestone.kind === 'window-opens') {
      const decisionAt = termEndMs() - plan.schedule.renewal.decisionDaysBeforeEnd * plan.dayMs;
      await step({
        step: 'window-opened',
        action: 'membership.renewal_window_opened',
        status: 'renewal_open',
        notice: {
          kind: 'renewal-window-open',
          subject: 'Your renewal window is open',
          body: `Term ${termNumber} ends on ${plan.termEnd}. On ${iso(decisionAt)} you are re-qualified and invoiced; you may renew earlier.`,
        },
      });
    } else if (milestone.kind === 'decision') {
      if (!decision) await decide('system');
    } else if (milestone.kind === 'term-ends') {
      await step({
        step: 'term-ended',
        action: 'membership.grace_started',
        status: 'grace',
        statusReason: `The renewal is unpaid at the term end; online benefits continue until ${iso(graceEndsAt())}`,
        notice: {
          kind: 'renewal-grace',
          subject: `Term ${termNumber} has ended unpaid`,
          body: `Online benefits continue until ${iso(graceEndsAt())}; unpaid by then, ${unpaidConsequence()}.`,
        },
      });
    } else {
      const days = milestone.daysFromEnd;
      await step({
        step: `notice:${days}`,
        action: 'membership.renewal_notice',
        details: { daysFromEnd: days, invoiceId: state.renewalInvoiceId },
        notice: {
          kind: 'renewal-notice',
          subject:
            days < 0
              ? `Your membership ends in ${-days} days`
              : days === 0
                ? 'Your membership ends today'
                : `Your membership ended ${days} days ago`,
          body: `Renewal invoice ${state.renewalInvoiceId ?? '(none yet)'} at ${state.renewalLevel ?? state.term.level} is unpaid; unpaid on ${iso(graceEndsAt())}, ${unpaidConsequence()}.`,
        },
      });
    }
  };

  const finish = async (status: MembershipOutcome['status']): Promise<MembershipOutcome> => {
    await condition(allHandlersFinished);
    return { status, termNumber };
  };
  const nextTerm = async (level: LevelCode): Promise<never> => {
    await condition(allHandlersFinished);
    return continueAsNew<typeof membershipWorkflow>({ partnerId, termNumber: termNumber + 1, level, termStart: plan.termEnd });
  };

  for (;;) {
    if (stop) {
      await cancelFee();
      ended = true;
      const stopped = stop;
      await step(
        stopped.status === 'withdrawn'
          ? {
              step: 'withdrawn',
              action: 'membership.withdrawn',
              actor: stopped.withdrawal.requestedBy,
              status: 'withdrawn',
              statusReason: stopped.withdrawal.reason,
              notice: {
                kind: 'membership-withdrawn',
                subject: 'Your membership has ended',
                body: `Withdrawn: ${stopped.withdrawal.reason}`,
              },
            }
          : {
              step: 'consolidated',
              action: 'membership.consolidated',
              status: 'consolidated',
              statusReason: `Absorbed by partner ${stopped.consolidation.survivorId}`,
              details: { ...stopped.consolidation },
              notice: {
                kind: 'membership-consolidated',
                subject: 'Your membership continues within another partner',
                body: `Consolidation ${stopped.consolidation.consolidationId} moved this membership into partner ${stopped.consolidation.survivorId}.`,
              },
            },
      );
      return finish(stopped.status);
    }
    if (fee?.outcome === 'failed') throw fee.failure;
    if (decision && !fee) return nextTerm(decision.level);
    if (fee?.outcome === 'paid') return nextTerm(fee.level);
    if (fee?.outcome === 'void') {
      fee = undefined;
      if (decision!.unpaidOutcome === 'downgrade') {
        await step({
          step: 'unpaid-downgraded',
          action: 'membership.renewal_unpaid',
          statusReason: 'Unpaid after the grace period: the next term is at registered',
          details: { unpaidOutcome: 'downgrade' },
          notice: { kind: 'renewal-unpaid', subject: 'Your membership continues at registered', body: 'The renewal invoice went unpaid.' },
        });
        return nextTerm(LEVEL_CODES[0]);
      }
      ended = true;
      await step({
        step: 'lapsed',
        action: 'membership.lapsed',
        status: 'lapsed',
        statusReason: 'Unpaid after the grace period',
        partnerStatus: 'lapsed',
        notice: {
          kind: 'membership-lapsed',
          subject: 'Your membership has lapsed',
          body: 'The renewal invoice went unpaid past the grace period.',
        },
      });
      return finish('lapsed');
    }
    if (levelChange) {
      const change = levelChange;
      levelChange = undefined;
      state.term.level = change.level;
      await step({
        step: `level-changed:${uuid4()}`,
        action: 'membership.level_changed',
        level: change.level,
        details: { level: change.level, cause: change.cause },
        notice: { kind: 'membership-level-changed', subject: `Your membership is now at ${change.level}`, body: change.cause },
      });
      continue;
    }
    if (catalogChanged) {
      catalogChanged = false;
      plan = await openMembershipTerm({
        ...term,
        workflowId,
        level: state.term.level,
        termStart,
        termEnd: plan.termEnd,
        asOf: iso(Date.now()),
      });
      continue;
    }
    if (requestedException) {
      exception = requestedException;
      await step({
        step: 'exception',
        action: 'membership.renewal_exception_granted',
        actor: exception.actor,
        details: { keptLevel: state.term.level, reason: exception.reason },
        notice: {
          kind: 'renewal-exception',
          subject: `You keep ${state.term.level} for the next term`,
          body: `An administrator granted an exception: ${exception.reason}`,
        },
      });
      if (decision) {
        await cancelFee();
        decision = { ...decision, level: state.term.level };
        state.renewalLevel = decision.level;
        await invoiceRenewal(decision.level, exception.actor);
      }
      requestedException = undefined;
      continue;
    }
    if (renewNowBy && !decision) {
      await decide(renewNowBy);
      continue;
    }
    if (workflowInfo().continueAsNewSuggested && !decision) {
      await condition(allHandlersFinished);
      return continueAsNew<typeof membershipWorkflow>({
        ...term,
        level: state.term.level,
        termStart,
        termEnd: plan.termEnd,
        completedMilestones: completed,
        ...(exception ? { exception } : {}),
      });
    }

    const next = remaining()[0];
    state.nextMilestone = upcoming();
    const woken = () =>
      stop !== undefined ||
      levelChange !== undefined ||
      catalogChanged ||
      requestedException !== undefined ||
      (renewNowBy !== undefined && !decision) ||
      (fee !== undefined && fee.outcome !== null);
    if (!next) {
      await condition(woken);
    } else if (!(await condition(woken, Math.max(1, next.at - Date.now())))) {
      await runMilestone(next);
    }
  }
}
