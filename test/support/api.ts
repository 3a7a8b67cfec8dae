import type { INestApplication } from '@nestjs/common';
import { NativeConnection } from '@temporalio/worker';
import type { DestinationStream } from 'pino';
import request from 'supertest';
import type { ActivityDeps } from '../../activities';
import { createApp } from '../../apps/api/src/bootstrap';
import { loadApiConfig } from '../../lib/config';
import { invoiceNumber } from '../../queries/payments';
import type { PrismaClient } from '../../lib/database';
import type { EnrollmentApplication } from '../../domain/enrollment';
import { eventually, sampleApplication, testPrisma } from './fixtures';
import { type RunningTestWorker, startTestWorker } from './temporal';

export interface ApiHarness {
  app: INestApplication;
  http: ReturnType<typeof request>;
  prisma: PrismaClient;
  worker: RunningTestWorker;
  adminKey: string;
  stop(): Promise<void>;
}

/**
 * The real API (shared bootstrap) plus a real worker, against the suite's Postgres and Temporal;
 * `workerDeps` sets what the worker's environment would, e.g. minutes-long membership terms.
 * The API logs nothing, unless `logs` takes its request log at `info`.
 */
export async function startApiHarness(
  env: Record<string, string> = {},
  workerDeps: Partial<ActivityDeps> = {},
  logs?: DestinationStream,
): Promise<ApiHarness> {
  const prisma = testPrisma(env.DATABASE_URL);
  const connection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS! });
  const worker = await startTestWorker(connection, { prisma, ...workerDeps });
  // Suites drive one admin key hard; the rate-limit tests set their own limits.
  const config = loadApiConfig({ ...process.env, RATE_LIMIT_PER_MINUTE: '1000000', TEMPORAL_TASK_QUEUE: worker.taskQueue, ...env });
  const app = await createApp(config, logs ? 'info' : 'silent', logs);
  await app.init();
  return {
    app,
    http: request(app.getHttpServer()),
    prisma,
    worker,
    adminKey: config.adminApiKey,
    stop: async () => {
      await app.close();
      await worker.stop();
      await connection.close();
      await prisma.$disconnect();
    },
  };
}

/** A suite's harness, with a reviewer key made for it. */
export interface ApiSuite extends ApiHarness {
  reviewerKey: string;
}

/**
 * Starts the API harness before a suite's tests and stops it after them. The answer is filled
 * in by `beforeAll`, so tests read it when they run: `prepare` builds what the harness needs
 * first (an isolated database, a catalog variant) and answers its environment.
 */
export function useApiHarness(
  options: {
    prepare?: () => Promise<Record<string, string>>;
    workerDeps?: Partial<ActivityDeps>;
    reviewerName?: string;
    logs?: DestinationStream;
  } = {},
): ApiSuite {
  const suite = {} as ApiSuite;
  beforeAll(async () => {
    Object.assign(suite, await startApiHarness(options.prepare ? await options.prepare() : {}, options.workerDeps, options.logs));
    suite.reviewerKey = await createKey(suite, 'reviewer', options.reviewerName);
  });
  afterAll(async () => {
    await suite.stop?.();
  });
  return suite;
}

export const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });

export async function createKey(harness: ApiHarness, role: 'reviewer' | 'admin', name = `${role} for tests`): Promise<string> {
  const response = await harness.http.post('/v1/api-keys').set(bearer(harness.adminKey)).send({ role, name }).expect(201);
  return response.body.apiKey as string;
}

export interface Enrolled {
  enrollmentId: string;
  partnerId: string;
  workflowId: string;
  apiKey: string;
}

/** Enrolls and waits until the review task exists; returns the ids and the review's id. */
export async function enrollAndAwaitReview(
  harness: ApiHarness,
  application: EnrollmentApplication = sampleApplication(),
): Promise<Enrolled & { reviewId: string }> {
  const response = await harness.http.post('/v1/enrollments').send(application).expect(202);
  const enrolled = response.body as Enrolled;
  const review = await eventually(() => harness.prisma.reviewTask.findFirst({ where: { enrollmentId: enrolled.enrollmentId } }));
  await eventually(
    async () => (await harness.prisma.enrollment.findUnique({ where: { id: enrolled.enrollmentId } }))?.status === 'in_review',
  );
  return { ...enrolled, reviewId: review.id };
}

export type Standing = {
  points: { total: number; bySource: Array<{ sourceCode: string; counted: number; entries: Array<{ locationId: string | null }> }> };
  eligibility: Array<{ level: string; eligible: boolean; missing: Array<{ requirement: string; have: number; need: number }> }>;
  highestEligibleLevel: string | null;
  catalogVersionId: string;
};

/** Enrolls a partner at Registered and has the reviewer approve it; answers once it is active. */
export async function enrollActivePartner(harness: ApiHarness, reviewerKey: string, country = 'GB'): Promise<Enrolled> {
  const enrolled = await enrollAndAwaitReview(harness, sampleApplication('registered', country));
  await harness.http.post(`/v1/reviews/${enrolled.reviewId}/decision`).set(bearer(reviewerKey)).send({ decision: 'approve' }).expect(200);
  await eventually(async () => (await harness.prisma.partner.findUnique({ where: { id: enrolled.partnerId } }))?.status === 'active');
  return enrolled;
}

/** What the default catalog's Security competency asks: two security-certified professionals, three references. */
export function securityEvidence(tag: string) {
  return [
    ...[1, 2].map((n) => ({
      kind: 'certified-professional',
      details: { personName: `Pro ${n}`, email: `pro${n}-${tag}@partner.example`, certificationIds: ['MCSE-Security'] },
    })),
    ...[1, 2, 3].map((n) => ({
      kind: 'customer-reference',
      details: {
        customerName: `Customer ${n} ${tag}`,
        contactEmail: `buyer${n}@customer.example`,
        projectTitle: 'Zero trust rollout',
        wonAt: '2026-10-01',
        competencyCode: 'security',
      },
    })),
  ];
}

/** Records evidence as the partner and has the reviewer verify each piece. */
export async function recordVerifiedEvidence(
  harness: ApiHarness,
  partner: Enrolled,
  reviewerKey: string,
  evidence: Array<{ kind: string; details: object }>,
) {
  for (const item of evidence) {
    const accepted = await harness.http
      .post(`/v1/partners/${partner.partnerId}/evidence`)
      .set(bearer(partner.apiKey))
      .send(item)
      .expect(202);
    const review = await eventually(() =>
      harness.prisma.reviewTask.findFirst({ where: { subjectId: accepted.body.evidenceId, status: 'pending' } }),
    );
    await harness.http.post(`/v1/reviews/${review.id}/decision`).set(bearer(reviewerKey)).send({ decision: 'approve' }).expect(200);
  }
  await eventually(
    async () => (await harness.prisma.evidence.count({ where: { partnerId: partner.partnerId, status: 'pending_review' } })) === 0,
  );
}

export async function standingOf(harness: ApiHarness, partner: Enrolled): Promise<Standing> {
  return (await harness.http.get(`/v1/partners/${partner.partnerId}/standing`).set(bearer(partner.apiKey)).expect(200)).body as Standing;
}

/** Pays the invoice issued for a subject (enrollment or upgrade request) by an admin-recorded bank transfer. */
export async function payInvoiceFor(harness: ApiHarness, subjectId: string): Promise<{ id: string; number: string }> {
  const invoice = await eventually(() => harness.prisma.invoice.findFirst({ where: { subjectId, status: 'open' } }));
  await harness.http
    .post(`/v1/invoices/${invoice.id}/payments`)
    .set(bearer(harness.adminKey))
    .set('Idempotency-Key', `pay-${invoice.id}`)
    .send({ amountMinor: invoice.totalMinor, currency: invoice.currency, reference: 'bank transfer' })
    .expect(201);
  return { id: invoice.id, number: invoiceNumber(invoice) };
}
