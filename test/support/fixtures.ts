import { randomUUID } from 'node:crypto';
import type { EnrollmentApplication } from '../../domain/enrollment';
import type { LevelCode } from '../../domain/catalog';
import type { MailMessage, Mailer } from '../../activities/mailer';
import type { PaymentProvider, RefundOrder } from '../../activities/payment-provider';
import { createPrismaClient, type PrismaClient } from '../../lib/database';
import { issueRandomApiKey } from '../../lib/api-keys';
import { readCatalogDocuments } from '../../prisma/seed';

/** The program terms of the catalog in force by default: every sample application accepts them. */
export const TERMS_VERSION = readCatalogDocuments().at(-1)!.rules.programTerms!.version;

/** Connections per test client; a test worker runs as many activities at once. */
export const TEST_POOL_SIZE = 4;

export function testPrisma(databaseUrl = process.env.DATABASE_URL!): PrismaClient {
  return createPrismaClient(databaseUrl, TEST_POOL_SIZE);
}

/** A valid application; every call names a different organization. */
export function sampleApplication(level: LevelCode = 'registered', country = 'GB'): EnrollmentApplication {
  const tag = randomUUID().slice(0, 8);
  return {
    organization: {
      legalName: `Contoso ${tag} Ltd`,
      country,
      website: `https://contoso-${tag}.example`,
      industries: ['retail'],
      customerSizes: ['small-business'],
      technologies: ['sql-server'],
    },
    primaryLocation: { addressLine1: '1 High Street', city: 'London', postalCode: 'EC1A 1BB', country },
    contact: { name: 'Ada Lovelace', email: `ada-${tag}@contoso.example` },
    requestedLevel: level,
    acceptedTermsVersion: TERMS_VERSION,
  };
}

/**
 * A real PaymentProvider that keeps refund orders in memory for assertions. Like a processor,
 * it refunds once per idempotency key; `requests` counts every ask, repeats included.
 */
export class RecordingPaymentProvider implements PaymentProvider {
  readonly refunds: RefundOrder[] = [];
  requests = 0;

  async refund(order: RefundOrder): Promise<{ refundReference: string }> {
    this.requests += 1;
    if (!this.refunds.some((refund) => refund.idempotencyKey === order.idempotencyKey)) this.refunds.push(order);
    return { refundReference: `refund-${order.paymentId}` };
  }
}

/** A real Mailer implementation that keeps messages in memory for assertions. */
export class RecordingMailer implements Mailer {
  readonly sent: MailMessage[] = [];

  async send(message: MailMessage): Promise<void> {
    this.sent.push(message);
  }
}

/** Polls until `read` answers something truthy, in real time. */
export async function eventually<T>(read: () => Promise<T | undefined | null | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A partner enrolled and active at the lowest level, with its primary office. */
export async function createActivePartner(prisma: PrismaClient, catalogVersionId: string, country = 'GB'): Promise<string> {
  const partnerId = randomUUID();
  await prisma.partner.create({
    data: {
      id: partnerId,
      legalName: `Partner ${partnerId.slice(0, 8)}`,
      country,
      website: 'https://partner.example',
      contactName: 'Ada',
      contactEmail: `ada-${partnerId.slice(0, 8)}@partner.example`,
      level: 'registered',
      status: 'active',
      catalogVersionId,
      termsVersion: TERMS_VERSION,
      termsAcceptedAt: new Date(),
      locations: { create: { id: randomUUID(), isPrimary: true, addressLine1: '1 St', city: 'London', postalCode: 'E1', country } },
    },
  });
  return partnerId;
}

/** The pending review task about a subject, once its workflow opened it. */
export async function pendingReviewOf(prisma: PrismaClient, subjectId: string): Promise<string> {
  const task = await eventually(() => prisma.reviewTask.findFirst({ where: { subjectId, status: 'pending' } }));
  return task.id;
}

/** A reviewer with an address, who hears of new tasks of `reviewKinds` (empty: every kind) until revoked. */
export async function createReviewerWithEmail(
  prisma: PrismaClient,
  reviewKinds: string[],
): Promise<{ email: string; revoke(): Promise<void> }> {
  const issued = issueRandomApiKey();
  const email = `reviewer-${issued.id}@vendor.example`;
  await prisma.apiKey.create({
    data: { id: issued.id, name: 'Reviewer with mail', email, reviewKinds, role: 'reviewer', hash: issued.hash },
  });
  return {
    email,
    revoke: async () => {
      await prisma.apiKey.update({ where: { id: issued.id }, data: { revokedAt: new Date() } });
    },
  };
}
