import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { MinorUnits } from '../domain/money';

export interface RefundOrder {
  paymentId: string;
  provider: string;
  externalId: string;
  amountMinor: MinorUnits;
  currency: string;
  reason: string;
}

/**
 * The payment processor sits behind this port: it returns money. Payments come in through the
 * webhook and admin-recorded bank transfers; refunds go out through here.
 */
export interface PaymentProvider {
  refund(order: RefundOrder): Promise<{ refundReference: string }>;
}

/**
 * The local implementation: refund orders for an operator (bank transfers back, or a
 * processor's dashboard), one JSON line each. The reference derives from the payment, so a
 * retried activity orders the same refund.
 */
export class OutboxPaymentProvider implements PaymentProvider {
  constructor(private readonly outboxFile: string) {}

  async refund(order: RefundOrder): Promise<{ refundReference: string }> {
    const refundReference = `refund-${order.paymentId}`;
    await mkdir(dirname(this.outboxFile), { recursive: true });
    await appendFile(this.outboxFile, `${JSON.stringify({ ...order, refundReference, orderedAt: new Date().toISOString() })}\n`);
    return { refundReference };
  }
}
