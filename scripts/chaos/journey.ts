import { randomInt, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { signWebhook } from '../../lib/webhook-signature';
import type { Answer, ChaosClient } from './client';

export interface JourneyContext {
  client: ChaosClient;
  webhookSecret: string;
  termsVersion: string;
  /** R6: how many times each idempotent request and each webhook is sent (1 without it). */
  maxRepeats: number;
  /** Requests that answered differently under the same key or event: each is a duplicate found. */
  duplicates: string[];
  adminKey: string;
  /**
   * Enrollments whose partner key no answer carried: the request that started the workflow lost
   * its answer in a fault, and its repeat, by design, does not show the key again. The admin
   * rotates the key, as support would; each is reported.
   */
  keysRotated: string[];
}

export interface JourneyOutcome {
  tag: string;
  partnerId?: string;
  enrollmentWorkflowId?: string;
  completed: boolean;
  /** Where it stopped, when it did not complete. */
  failure?: string;
}

/** Sends the same request 1 to maxRepeats times, about half of them at once, and answers the first. */
async function repeated(context: JourneyContext, send: () => Promise<Answer>): Promise<Answer[]> {
  const times = randomInt(1, context.maxRepeats + 1);
  const together = randomInt(1, times + 1);
  const answers = await Promise.all(Array.from({ length: together }, send));
  for (let repeat = together; repeat < times; repeat++) answers.push(await send());
  return answers;
}

function expectOne(
  context: JourneyContext,
  what: string,
  answers: Answer[],
  statuses: number[],
  pick: (body: Answer['body']) => string,
): string {
  const refused = answers.find((answer) => !statuses.includes(answer.status));
  if (refused) throw new Error(`${what} answered ${refused.status}: ${JSON.stringify(refused.body)}`);
  const ids = new Set(answers.map((answer) => pick(answer.body)));
  if (ids.size > 1) context.duplicates.push(`${what} answered ${[...ids].join(', ')} under one key`);
  return pick(answers[0].body);
}

async function rotatedKey(context: JourneyContext, partnerId: string): Promise<string> {
  context.keysRotated.push(partnerId);
  const rotated = await context.client.until('the partner recorded, to rotate its key', async () => {
    const answer = await context.client.call('POST', `/v1/partners/${partnerId}/api-keys/rotate`, { key: context.adminKey });
    return answer.status === 201 && answer;
  });
  return rotated.body.apiKey;
}

/** A processor's payment event for the invoice, delivered 1 to maxRepeats times, some at once, each freshly signed. */
async function payByWebhook(context: JourneyContext, invoice: { id: string; totalMinor: number; currency: string }): Promise<void> {
  const body = JSON.stringify({
    id: `evt_${randomUUID()}`,
    type: 'payment.succeeded',
    data: { paymentId: `pay_${randomUUID()}`, invoiceId: invoice.id, amountMinor: invoice.totalMinor, currency: invoice.currency },
  });
  const answers = await repeated(context, () =>
    context.client.call('POST', '/v1/payments/webhook', {
      body,
      headers: { 'x-signature': signWebhook(context.webhookSecret, body, new Date()) },
    }),
  );
  const refused = answers.find((answer) => answer.status !== 200);
  if (refused) throw new Error(`the payment webhook answered ${refused.status}: ${JSON.stringify(refused.body)}`);
  const firsts = answers.filter((answer) => answer.body.duplicate === false).length;
  if (firsts > 1) context.duplicates.push(`payment event for invoice ${invoice.id} recorded ${firsts} times`);
}

/**
 * One partner's year, start to end: enroll at Certified (every enrollment POST repeated under
 * its key), the reviewer approves, the fee is paid by webhook, evidence is verified, an upgrade to
 * Gold is approved and its fee paid. The reviewer is `approveEverything`, working the queue.
 */
export async function runJourney(context: JourneyContext): Promise<JourneyOutcome> {
  const { client } = context;
  const tag = randomUUID().slice(0, 12);
  const outcome: JourneyOutcome = { tag, completed: false };
  try {
    const application = {
      organization: {
        legalName: `Chaos ${tag} Ltd`,
        country: 'GB',
        website: `https://chaos-${tag}.example`,
        industries: ['retail'],
        customerSizes: ['small-business'],
        technologies: ['sql-server'],
      },
      primaryLocation: { addressLine1: '1 High Street', city: 'London', postalCode: 'EC1A 1BB', country: 'GB' },
      contact: { name: 'Ada Lovelace', email: `ada-${tag}@chaos.example` },
      requestedLevel: 'certified',
      acceptedTermsVersion: context.termsVersion,
    };
    const enrollKey = `enroll-${tag}`;
    const enrollments = await repeated(context, () =>
      client.call('POST', '/v1/enrollments', { body: application, headers: { 'idempotency-key': enrollKey } }),
    );
    const enrollmentId = expectOne(context, `enrollment ${tag}`, enrollments, [202], (body) => body.enrollmentId);
    const first = enrollments.find((answer) => answer.body.apiKey) ?? enrollments[0];
    outcome.partnerId = first.body.partnerId;
    outcome.enrollmentWorkflowId = first.body.workflowId;
    const partnerId = outcome.partnerId!;
    const key: string = first.body.apiKey ?? (await rotatedKey(context, partnerId));

    const openInvoice = (purpose: string) =>
      client.until(`the ${purpose} invoice`, async () => {
        const invoices = await client.call('GET', `/v1/partners/${partnerId}/invoices`, { key });
        return invoices.body.items?.find(
          (invoice: { purpose: string; status: string }) => invoice.purpose === purpose && invoice.status === 'open',
        );
      });
    const partnerIs = (what: string, holds: (partner: { status: string; level: string; membership?: { level: string } }) => boolean) =>
      client.until(what, async () => holds((await client.call('GET', `/v1/partners/${partnerId}`, { key })).body));

    await payByWebhook(context, await openInvoice('enrollment'));
    await partnerIs('the partner active at Certified', (partner) => partner.status === 'active' && partner.level === 'certified');
    const enrollment = await client.call('GET', `/v1/enrollments/${enrollmentId}`, { key });
    if (enrollment.body.status !== 'active') throw new Error(`the enrollment is ${enrollment.body.status}`);

    const evidence = await client.call('POST', `/v1/partners/${partnerId}/evidence`, {
      key,
      body: {
        kind: 'certified-professional',
        details: { personName: 'Pro One', email: `pro-${tag}@chaos.example`, certificationIds: ['MCSE-Security'] },
      },
    });
    // A retry whose first send was recorded before its answer was lost finds the evidence there.
    if (evidence.status !== 202 && evidence.body?.code !== 'duplicate_evidence') throw new Error(`evidence answered ${evidence.status}`);
    await client.until('the evidence verified', async () => {
      const list = await client.call('GET', `/v1/partners/${partnerId}/evidence`, { key });
      return list.body.items?.some((item: { status: string }) => item.status === 'verified');
    });

    const upgradeKey = `upgrade-${tag}`;
    const upgrades = await repeated(context, () =>
      client.call('POST', `/v1/partners/${partnerId}/upgrade`, {
        key,
        body: { level: 'gold' },
        headers: { 'idempotency-key': upgradeKey },
      }),
    );
    expectOne(context, `upgrade ${tag}`, upgrades, [202], (body) => body.upgradeRequestId);
    await payByWebhook(context, await openInvoice('upgrade'));
    // The end: the partner and its membership's term both at Gold.
    await partnerIs('the partner and its term at Gold', (partner) => partner.level === 'gold' && partner.membership?.level === 'gold');
    outcome.completed = true;
  } catch (error) {
    outcome.failure = (error as Error).message;
  }
  return outcome;
}

/** The reviewer: approves every pending task, each decision sent 1 to maxRepeats times. */
export async function approveEverything(context: JourneyContext, reviewerKey: string, running: () => boolean): Promise<number> {
  let decided = 0;
  while (running()) {
    try {
      const pending = await context.client.call('GET', '/v1/reviews?status=pending&limit=200', { key: reviewerKey });
      await Promise.all(
        (pending.body.items ?? []).map(async (task: { id: string }) => {
          const answers = await repeated(context, () =>
            context.client.call('POST', `/v1/reviews/${task.id}/decision`, { key: reviewerKey, body: { decision: 'approve' } }),
          );
          if (answers.some((answer) => answer.status === 200)) decided += 1;
        }),
      );
    } catch {
      // Past the deadline: the journeys report what they reached.
    }
    await sleep(300);
  }
  return decided;
}
