import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { minorUnits } from '../domain/money';
import type { PrismaClient } from '../lib/database';
import { readCatalogDocuments, seedCatalog } from '../prisma/seed';
import { waitFor } from '../scripts/infra/ports';
import { paymentEventWorkflowId } from '../workflows/payments/definitions';
import type { paymentEventWorkflow } from '../workflows/payments/workflow';
import { membershipWorkflowId } from '../workflows/renewals/definitions';
import type { membershipWorkflow } from '../workflows/renewals/workflow';

/**
 * The fiscal-year storm: memberships that share one anniversary renew at once. Shared by the
 * storm test (a few hundred) and `npm run bench` (a baseline and a storm in one run).
 */

/** A catalog in force from now in which Registered pays a fee, so every renewal is invoiced. */
export const STORM_CATALOG = 'storm-registered-fee';

export async function publishStormCatalog(prisma: PrismaClient): Promise<void> {
  const doc = structuredClone(readCatalogDocuments()[0]);
  doc.id = STORM_CATALOG;
  doc.effectiveFrom = new Date(Date.now() - 1000).toISOString();
  doc.levels.find((level) => level.code === 'registered')!.fees = { default: { amountMinor: 5000, currency: 'USD', taxRateBps: 0 } };
  await seedCatalog(prisma, [doc]);
}

export interface StormOptions {
  prisma: PrismaClient;
  client: Client;
  taskQueue: string;
  memberships: number;
  /** The worker's MEMBERSHIP_TERM_MINUTES: a "day" of the schedule is this term's 1/365. */
  termMinutes: number;
  timeoutMs: number;
}

export interface StormResult {
  partnerIds: string[];
  termStart: Date;
  /** From the first start until every membership's renewal invoice was issued and paid. */
  paidMs: number;
  /** From the first start until every membership was in its second term. */
  renewedMs: number;
}

async function inBatches<T>(items: T[], size: number, run: (item: T) => Promise<unknown>): Promise<void> {
  for (let start = 0; start < items.length; start += size) await Promise.all(items.slice(start, start + size).map(run));
}

/**
 * Registered partners whose terms started together, so that the renewal decision comes a few
 * seconds after their workflows start; each invoice is paid through a processor payment event
 * as it appears, and the run ends when every membership is in its second term.
 */
export async function runRenewalStorm(options: StormOptions): Promise<StormResult> {
  const { prisma, client, taskQueue } = options;
  const dayMs = (options.termMinutes * 60_000) / 365;
  const termStart = new Date(Date.now() - options.termMinutes * 60_000 + 62 * dayMs);
  const partnerIds = Array.from({ length: options.memberships }, () => randomUUID());
  await prisma.partner.createMany({
    data: partnerIds.map((id) => ({
      id,
      legalName: `Storm ${id.slice(0, 8)}`,
      country: 'GB',
      website: 'https://storm.example',
      contactName: 'Ada',
      contactEmail: `ada-${id.slice(0, 8)}@storm.example`,
      level: 'registered',
      status: 'active',
      catalogVersionId: STORM_CATALOG,
      activatedAt: termStart,
    })),
  });
  await prisma.location.createMany({
    data: partnerIds.map((partnerId) => ({
      id: randomUUID(),
      partnerId,
      isPrimary: true,
      addressLine1: '1 St',
      city: 'London',
      postalCode: 'E1',
      country: 'GB',
    })),
  });

  const startedAt = Date.now();
  await inBatches(partnerIds, 50, (partnerId) =>
    client.workflow.start<typeof membershipWorkflow>('membershipWorkflow', {
      workflowId: membershipWorkflowId(partnerId),
      taskQueue,
      args: [{ partnerId, termNumber: 1, level: 'registered', termStart: termStart.toISOString() }],
    }),
  );
  const paid = new Set<string>();
  let paidMs = 0;
  await waitFor(
    'every renewal invoiced and paid',
    async () => {
      const open = await prisma.invoice.findMany({ where: { partnerId: { in: partnerIds }, purpose: 'renewal', status: 'open' } });
      await inBatches(
        open.filter((invoice) => !paid.has(invoice.id)),
        50,
        async (invoice) => {
          await client.workflow.execute<typeof paymentEventWorkflow>('paymentEventWorkflow', {
            workflowId: paymentEventWorkflowId('processor', `storm-${invoice.id}`),
            taskQueue,
            args: [
              {
                provider: 'processor',
                externalId: `storm-${invoice.id}`,
                kind: 'payment',
                invoiceId: invoice.id,
                amountMinor: minorUnits(invoice.totalMinor),
                currency: invoice.currency,
                recordedBy: 'storm',
              },
            ],
          });
          paid.add(invoice.id);
        },
      );
      if (paid.size < partnerIds.length) throw new Error(`${paid.size} of ${partnerIds.length} paid`);
      paidMs ||= Date.now() - startedAt;
    },
    options.timeoutMs,
  );
  await waitFor(
    'every membership in its second term',
    async () => {
      const renewed = await prisma.membership.count({ where: { partnerId: { in: partnerIds }, termNumber: 2 } });
      if (renewed < partnerIds.length) throw new Error(`${renewed} of ${partnerIds.length} renewed`);
    },
    options.timeoutMs,
  );
  return { partnerIds, termStart, paidMs, renewedMs: Date.now() - startedAt };
}
