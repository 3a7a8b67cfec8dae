import { randomUUID } from 'node:crypto';
import type { Prisma, PrismaClient, TransactionClient } from './database';

export interface AuditEntry {
  /** Derived from the workflow and transition: a retried activity records the event once. */
  dedupeKey: string;
  actor: string;
  entityType: string;
  entityId: string;
  action: string;
  before?: Prisma.InputJsonValue;
  after?: Prisma.InputJsonValue;
}

export async function recordAudit(tx: TransactionClient, at: Date, entries: AuditEntry[]): Promise<void> {
  await tx.auditEvent.createMany({
    data: entries.map((entry) => ({ id: randomUUID(), at, ...entry })),
    skipDuplicates: true,
  });
}

/**
 * A guarded write and its audit event, in one transaction. The event is recorded only when the
 * write changed a row, so a retry, or a change that no longer applies (an invoice paid before it
 * could turn overdue), records nothing. Answers whether it changed anything.
 */
export async function recordChange(
  prisma: PrismaClient,
  at: Date,
  write: (tx: TransactionClient) => Promise<{ count: number }>,
  entry: AuditEntry,
): Promise<boolean> {
  return prisma.$transaction(async (tx) => {
    const { count } = await write(tx);
    if (count > 0) await recordAudit(tx, at, [entry]);
    return count > 0;
  });
}
