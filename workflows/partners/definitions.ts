/** One withdrawal per partner: asking again finds it. */
export const withdrawalWorkflowId = (partnerId: string): string => `withdrawal-${partnerId}`;

export interface WithdrawalInput {
  partnerId: string;
  reason: string;
  requestedBy: string;
}

export interface WithdrawalOutcome {
  status: 'withdrawn' | 'not_open';
  /** Payments returned because the fee was paid within the refund window. */
  refundedPaymentIds: string[];
}

/** One acceptance per partner and terms version: accepting again finds it. */
export const termsAcceptanceWorkflowId = (partnerId: string, version: string): string => `terms-${partnerId}-${version}`;

export interface TermsAcceptanceInput {
  partnerId: string;
  version: string;
  acceptedBy: string;
}

export interface TermsAccepted {
  termsVersion: string;
  acceptedAt: string;
}
