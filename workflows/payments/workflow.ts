import {
  CancellationScope,
  condition,
  executeChild,
  getExternalWorkflowHandle,
  isCancellation,
  patched,
  proxyActivities,
  setHandler,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { formatMoney } from '../../domain/money';
import { DAY_MS } from '../../domain/time';
import type { PaymentView } from '../../queries/payments';
import { DEFAULT_ACTIVITY_OPTIONS } from '../activity-options';
import { ReviewGate } from '../reviews/review-gate';
import {
  type BenefitPurchaseInput,
  type FeePaymentInput,
  type FeePaymentOutcome,
  feePaymentWorkflowId,
  invoiceSettledSignal,
  type PaymentEventInput,
  paymentRecordedUpdate,
  type RecordedPayment,
} from './definitions';

const {
  issueInvoice,
  markInvoiceOverdue,
  closeUnpaidInvoice,
  notifyPartner,
  noticePartner,
  recordPayment,
  resolveHeldPayment,
  refundPayment,
  loadCatalogInForce,
  quoteBenefit,
  recordBenefitPurchase,
  reserveBenefitPurchase,
  completeBenefitPurchase,
  closeBenefitPurchase,
} = proxyActivities<Activities>(DEFAULT_ACTIVITY_OPTIONS);

/** Before purchases were priced per level and gave a subscription, they were quoted at the list price and only audited. */
const PURCHASE_GIVES_SUBSCRIPTION = 'benefit-purchase-subscription';

/** Before notices had templates, an invoice was announced by nobody and its payment confirmed by nobody. */
const FEE_PAYMENT_NOTICES_PARTNER = 'fee-payment-notices-partner';
/** Before that, its reminders were written in code, and nobody heard that it turned overdue or void. */
const INVOICE_MILESTONE_NOTICES = 'invoice-milestone-notices';

/** How a reminder at `offsetDays` from the due date names it: "is due in 14 days", "was due 7 days ago". */
const dueWhen = (offsetDays: number): string =>
  offsetDays < 0 ? `is due in ${-offsetDays} days` : offsetDays === 0 ? 'is due today' : `was due ${offsetDays} days ago`;

type Milestone = { at: number; kind: 'reminder'; offsetDays: number } | { at: number; kind: 'overdue' | 'void' };

/**
 * Fee payment, a child of enrollment, upgrade and renewal: issue the invoice, then wait for it
 * to be paid, reminding at the catalog's offsets from the due date, marking it overdue at the
 * due date and voiding it when the grace period ends. Cancelling the parent voids it too.
 */
export async function feePaymentWorkflow(input: FeePaymentInput): Promise<FeePaymentOutcome> {
  const { workflowId } = workflowInfo();
  const { invoiceId, rules, draft } = input;
  let settled = false;
  setHandler(invoiceSettledSignal, () => void (settled = true));

  const dueAt = input.dueAt ? Date.parse(input.dueAt) : Date.now() + rules.dueDays * DAY_MS;
  await issueInvoice({ ...input, workflowId, dueAt: new Date(dueAt).toISOString() });
  const notices = patched(FEE_PAYMENT_NOTICES_PARTNER);
  const invoiceNotice = (kind: 'invoice-issued' | 'invoice-paid' | 'invoice-overdue' | 'invoice-void') =>
    noticePartner({
      dedupeKey: `invoice:${invoiceId}:${kind}`,
      kind,
      partnerId: input.partnerId,
      invoiceId,
      facts: { graceDays: rules.graceDays },
    });
  // A renewal's invoice is announced, and its lateness told, by the renewal's own notices, which say what it renews.
  const ownNotices = input.purpose !== 'renewal';
  if (notices && ownNotices) await invoiceNotice('invoice-issued');
  const milestoneNotices = notices && patched(INVOICE_MILESTONE_NOTICES);
  const milestones: Milestone[] = [
    ...rules.reminderOffsetsDays.map((offsetDays): Milestone => ({ at: dueAt + offsetDays * DAY_MS, kind: 'reminder', offsetDays })),
    { at: dueAt, kind: 'overdue' },
    { at: dueAt + rules.graceDays * DAY_MS, kind: 'void' },
  ];
  // At the same instant the invoice turns overdue before the reminder that says so.
  const order = { overdue: 0, reminder: 1, void: 2 };
  milestones.sort((a, b) => a.at - b.at || order[a.kind] - order[b.kind]);

  const total = formatMoney({ amountMinor: draft.totalMinor, currency: draft.currency });
  try {
    for (const milestone of milestones) {
      if (await condition(() => settled, Math.max(1, milestone.at - Date.now()))) {
        if (notices) await invoiceNotice('invoice-paid');
        return { status: 'paid', invoiceId };
      }
      if (milestone.kind === 'overdue') {
        await markInvoiceOverdue(invoiceId);
        if (milestoneNotices && ownNotices) await invoiceNotice('invoice-overdue');
      }
      if (milestone.kind === 'reminder' && milestoneNotices) {
        await noticePartner({
          dedupeKey: `invoice:${invoiceId}:reminder:${milestone.offsetDays}`,
          kind: 'invoice-reminder',
          partnerId: input.partnerId,
          invoiceId,
          facts: { graceDays: rules.graceDays, dueWhen: dueWhen(milestone.offsetDays) },
        });
      } else if (milestone.kind === 'reminder') {
        await notifyPartner({
          dedupeKey: `invoice:${invoiceId}:reminder:${milestone.offsetDays}`,
          kind: 'invoice-reminder',
          partnerId: input.partnerId,
          subject:
            milestone.offsetDays < 0
              ? `Invoice due in ${-milestone.offsetDays} days`
              : milestone.offsetDays === 0
                ? 'Invoice due today'
                : `Invoice overdue by ${milestone.offsetDays} days`,
          body: `Invoice ${invoiceId} for ${total} is due on ${new Date(dueAt).toISOString()}; unpaid ${rules.graceDays} days after that, it is void.`,
        });
      }
      if (milestone.kind === 'void') {
        const closed = await closeUnpaidInvoice({ invoiceId, reason: 'Unpaid at the end of the grace period' });
        if (closed === 'void' && milestoneNotices && ownNotices) await invoiceNotice('invoice-void');
        return { status: closed, invoiceId };
      }
    }
    throw new Error('unreachable: the last milestone voids the invoice');
  } catch (error) {
    if (isCancellation(error)) {
      await CancellationScope.nonCancellable(() => closeUnpaidInvoice({ invoiceId, reason: 'The process it belonged to was cancelled' }));
    }
    throw error;
  }
}

/**
 * One payment event (a processor webhook or an admin-recorded bank transfer): record it once,
 * have a reviewer decide on a payment that does not match, return what cannot be kept, and tell
 * the fee-payment workflow when its invoice is covered.
 */
export async function paymentEventWorkflow(input: PaymentEventInput): Promise<PaymentView> {
  const { workflowId } = workflowInfo();
  let recorded: PaymentView | undefined;
  setHandler(paymentRecordedUpdate, async () => {
    await condition(() => recorded !== undefined);
    return recorded!;
  });
  let outcome: RecordedPayment = await recordPayment({ ...input, workflowId });
  recorded = outcome.payment;

  if (outcome.next === 'review') {
    const catalog = await loadCatalogInForce();
    const gate = new ReviewGate();
    const { reviewTaskId } = await gate.open(
      {
        kind: 'payment',
        partnerId: outcome.partnerId!,
        subjectId: outcome.payment.id,
        summary: `Held payment of ${formatMoney({ amountMinor: input.amountMinor, currency: input.currency })}: ${outcome.payment.statusReason}. Approve to apply it as it is, reject to return it.`,
      },
      catalog.rules.paymentReview,
    );
    const review = await gate.decide(catalog.rules.paymentReview, {
      partnerId: outcome.partnerId!,
      subject: 'A held payment awaits a decision',
      body: `Payment ${outcome.payment.id} is held: ${outcome.payment.statusReason} (review ${reviewTaskId}).`,
    });
    // Nobody decided: the money stays held and visible rather than being guessed at.
    if (review === 'expired') return outcome.payment;
    outcome = await resolveHeldPayment({
      paymentId: outcome.payment.id,
      decision: review.decision === 'approve' ? 'apply' : 'refund',
      actor: review.decidedBy,
      reason: review.reason,
    });
  }
  if (outcome.next === 'refund') {
    return refundPayment({ paymentId: outcome.payment.id, reason: outcome.payment.statusReason ?? 'Returned after review' });
  }
  if (outcome.settledInvoiceWorkflowId) {
    // A fee workflow that already ended (voided meanwhile) has nothing left to wait for.
    await getExternalWorkflowHandle(outcome.settledInvoiceWorkflowId)
      .signal(invoiceSettledSignal)
      .catch(() => undefined);
  }
  return outcome.payment;
}

/**
 * An optional benefit bought for the term in force: reserved at the partner's price (its level's
 * member price, its competencies' saving, prorated for the days left), invoiced through fee
 * payment, and once paid granted as a subscription entitlement until the term ends. Refused at the
 * reservation when the benefit is not for sale to the partner or its subscription is already held
 * or being bought; an invoice voided unpaid closes the purchase.
 */
export async function benefitPurchaseWorkflow(input: BenefitPurchaseInput): Promise<FeePaymentOutcome> {
  if (!patched(PURCHASE_GIVES_SUBSCRIPTION)) return listPricePurchase(input);
  const invoiceId = uuid4();
  const reservation = await reserveBenefitPurchase({
    ...input,
    invoiceId,
    workflowId: workflowInfo().workflowId,
    asOf: new Date().toISOString(),
  });
  const fee = await invoiceBenefit(input, invoiceId, reservation);
  if (fee.status === 'paid') await completeBenefitPurchase({ purchaseId: input.purchaseId, asOf: new Date().toISOString() });
  else await closeBenefitPurchase({ purchaseId: input.purchaseId });
  return fee;
}

/** The purchase as it ran before: one flat price, and an audit event once paid. Runs started then finish this way. */
async function listPricePurchase(input: BenefitPurchaseInput): Promise<FeePaymentOutcome> {
  const quote = await quoteBenefit({ partnerId: input.partnerId, benefitCode: input.benefitCode, asOf: new Date().toISOString() });
  const invoiceId = uuid4();
  const fee = await invoiceBenefit(input, invoiceId, quote);
  if (fee.status === 'paid') await recordBenefitPurchase({ ...input, invoiceId });
  return fee;
}

/** The purchase's invoice, issued and waited for by its fee-payment child. */
function invoiceBenefit(
  input: BenefitPurchaseInput,
  invoiceId: string,
  { draft, catalogVersionId, rules }: Pick<FeePaymentInput, 'draft' | 'catalogVersionId' | 'rules'>,
): Promise<FeePaymentOutcome> {
  return executeChild(feePaymentWorkflow, {
    workflowId: feePaymentWorkflowId(invoiceId),
    args: [{ invoiceId, partnerId: input.partnerId, purpose: 'benefit', subjectId: input.purchaseId, draft, catalogVersionId, rules }],
  });
}
