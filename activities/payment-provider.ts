import { createHash, randomUUID } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MinorUnits } from '../domain/money';

export interface RefundOrder {
  /** The program's key for this refund: asked again under the same key, the provider refunds once. */
  idempotencyKey: string;
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
 * processor's dashboard), one JSON file each, named by the order's key. A repeat of a key finds
 * its file and answers the same reference, ordering nothing more.
 */
export class OutboxPaymentProvider implements PaymentProvider {
  constructor(private readonly outboxDir: string) {}

  async refund(order: RefundOrder): Promise<{ refundReference: string }> {
    const keyHash = createHash('sha256').update(order.idempotencyKey).digest('hex');
    const file = join(this.outboxDir, `${keyHash}.json`);
    const refundReference = `refund-${keyHash.slice(0, 24)}`;
    await mkdir(this.outboxDir, { recursive: true });
    // Written aside, then linked into place: the order appears whole or not at all, and only once.
    const draft = `${file}.${process.pid}.${randomUUID()}.tmp`;
    await writeFile(draft, `${JSON.stringify({ ...order, refundReference, orderedAt: new Date().toISOString() })}\n`);
    try {
      await link(draft, file);
      return { refundReference };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      return { refundReference: (JSON.parse(await readFile(file, 'utf8')) as { refundReference: string }).refundReference };
    } finally {
      await unlink(draft);
    }
  }
}
