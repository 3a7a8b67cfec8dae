import { CancellationScope, executeChild, isCancellation, uuid4 } from '@temporalio/workflow';
import type { LevelCode } from '../../domain/catalog';
import { type FeePaymentInput, feePaymentWorkflowId } from '../payments/definitions';
import { feePaymentWorkflow } from '../payments/workflow';

export type RenewalFeeOutcome = 'paid' | 'void' | 'cancelled' | 'failed';

/**
 * A renewal invoice: its fee-payment child, run in a scope of its own so that the renewal can
 * be called off (withdrawal, consolidation) or re-invoiced (an exception) without ending the
 * membership. The workflow reads `outcome` once the child has settled.
 */
export class RenewalFee {
  outcome: RenewalFeeOutcome | null = null;
  private failure: unknown;
  private readonly scope = new CancellationScope();
  private readonly settled: Promise<void>;

  private constructor(
    readonly invoiceId: string,
    readonly level: LevelCode,
    payment: Omit<FeePaymentInput, 'invoiceId'>,
  ) {
    this.settled = this.scope
      .run(() => executeChild(feePaymentWorkflow, { workflowId: feePaymentWorkflowId(invoiceId), args: [{ invoiceId, ...payment }] }))
      .then(
        (outcome) => void (this.outcome = outcome.status),
        (error: unknown) => {
          this.outcome = isCancellation(error) ? 'cancelled' : 'failed';
          this.failure = error;
        },
      );
  }

  /** Starts the fee-payment child for a renewal invoice at `level`, under a new invoice id. */
  static issue(level: LevelCode, payment: Omit<FeePaymentInput, 'invoiceId'>): RenewalFee {
    return new RenewalFee(uuid4(), level, payment);
  }

  /** A child that failed (not paid, voided or cancelled) fails the membership: the error surfaces here. */
  rethrowFailure(): void {
    if (this.outcome === 'failed') throw this.failure;
  }

  /** Voids the invoice through its child, unless it already settled, and waits until it has. */
  async cancel(): Promise<void> {
    if (this.outcome === null) this.scope.cancel();
    await this.settled;
  }
}
