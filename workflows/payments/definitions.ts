import { defineSignal, defineUpdate } from '@temporalio/workflow';
import type { FeePaymentRules } from '../../domain/catalog';
import type { InvoiceDraft, InvoicePurpose } from '../../domain/invoices';
import type { MinorUnits } from '../../domain/money';
import type { PaymentView } from '../../queries/payments';

/** One fee-payment workflow per invoice; its parent derives the invoice id from its own business key. */
export const feePaymentWorkflowId = (invoiceId: string): string => `fee-${invoiceId}`;

/** One workflow per payment event: the processor's event id, or the bank transfer's Idempotency-Key. */
export const paymentEventWorkflowId = (provider: PaymentProviderName, eventKey: string): string => `payment-${provider}-${eventKey}`;

export type PaymentProviderName = 'processor' | 'bank_transfer';

export interface FeePaymentInput {
  invoiceId: string;
  partnerId: string;
  purpose: InvoicePurpose;
  subjectId: string;
  draft: InvoiceDraft;
  catalogVersionId: string;
  rules: FeePaymentRules;
  /** A fixed due date (a renewal is due at the term end); without it the invoice is due `rules.dueDays` after issue. */
  dueAt?: string;
}

export interface FeePaymentOutcome {
  status: 'paid' | 'void';
  invoiceId: string;
}

export interface PaymentEventInput {
  provider: PaymentProviderName;
  /** The provider's id of this payment or refund; a second event about it changes nothing. */
  externalId: string;
  kind: 'payment' | 'refund';
  /** For a refund: the provider's id of the payment it returns. */
  refundsExternalId?: string;
  invoiceId?: string;
  amountMinor: MinorUnits;
  currency: string;
  reference?: string;
  recordedBy: string;
}

export type PaymentStatus = 'applied' | 'held' | 'refunded' | 'rejected' | 'pending_match';

/** Where a recorded payment leaves things, and what its workflow does next (the `recordPayment` activity's answer). */
export interface RecordedPayment {
  payment: PaymentView;
  /** The partner the payment's invoice bills. */
  partnerId: string | null;
  /** The fee-payment workflow to tell when the invoice is now covered. */
  settledInvoiceWorkflowId: string | null;
  next: 'none' | 'review' | 'refund';
}

/** Sent to the fee-payment workflow once applied payments cover its invoice. */
export const invoiceSettledSignal = defineSignal('invoiceSettled');
/** Answers the payment as the event's workflow recorded it (applied, held or returned), once it is recorded. */
export const paymentRecordedUpdate = defineUpdate<PaymentView>('paymentRecorded');

/** One purchase of an optional benefit; the id derives from the request's Idempotency-Key when given. */
export const benefitPurchaseWorkflowId = (partnerId: string, purchaseId: string): string => `benefit-purchase-${partnerId}-${purchaseId}`;

export interface BenefitPurchaseInput {
  purchaseId: string;
  partnerId: string;
  benefitCode: string;
  requestedBy: string;
  /** Bought again at each next term's start, at that term's member price. Older purchases had none: false. */
  autoRenew?: boolean;
  /** The purchase of the previous term this one renews (started by the term transition). */
  renewalOf?: string;
}

/** A purchase on record before it is invoiced: what to invoice, and the subscription it will give once paid. */
export interface BenefitPurchaseReservation {
  draft: InvoiceDraft;
  catalogVersionId: string;
  rules: FeePaymentRules;
  termNumber: number;
  /** The end of the term in force: the subscription's valid-until. */
  validUntil: string;
}

/** A renewal of an auto-renewing purchase, due when the next term starts. */
export type BenefitPurchaseRenewal = Pick<BenefitPurchaseInput, 'purchaseId' | 'benefitCode' | 'requestedBy'> & { renewalOf: string };

/** Failure type for a benefit the partner cannot buy; the API answers 422. */
export const BENEFIT_NOT_OFFERED = 'BenefitNotOffered';
/** Failure type for a purchase that duplicates a subscription of the term (held, or bought and not yet paid); the API answers 409. */
export const SUBSCRIPTION_ACTIVE = 'SubscriptionActive';
