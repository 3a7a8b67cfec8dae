import { randomUUID } from 'node:crypto';
import type { Prisma, TransactionClient } from '../lib/database';

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
