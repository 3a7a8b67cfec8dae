import { randomUUID } from 'node:crypto';
import type { LevelCode } from '../../domain/catalog';
import { DAY_MS } from '../../domain/time';
import { bearer, payInvoiceFor, useApiHarness } from '../support/api';
import { eventually } from '../support/fixtures';
import { memberAt } from '../support/members';

type Line = { description: string; amountMinor: number };

describe('optional benefits bought at member prices, through the API', () => {
  const harness = useApiHarness();

  /** A member at `level` in the first term of its membership (Gold holds Security), and a key of its own. */
  async function member(level: LevelCode): Promise<{ partnerId: string; apiKey: string }> {
    const partnerId = await memberAt(harness.prisma, level);
    const rotated = await harness.http.post(`/v1/partners/${partnerId}/api-keys/rotate`).set(bearer(harness.adminKey)).expect(201);
    return { partnerId, apiKey: rotated.body.apiKey as string };
  }

  const purchase = (partner: { partnerId: string; apiKey: string }, code: string, body?: object, key: string = randomUUID()) => {
    const request = harness.http
      .post(`/v1/partners/${partner.partnerId}/benefits/${code}/purchases`)
      .set(bearer(partner.apiKey))
      .set('Idempotency-Key', key);
    return body === undefined ? request : request.send(body);
  };

  const invoiceOf = async (partner: { apiKey: string }, purchaseId: string) => {
    const row = await eventually(() => harness.prisma.invoice.findFirst({ where: { subjectId: purchaseId } }));
    return (await harness.http.get(`/v1/invoices/${row.id}`).set(bearer(partner.apiKey)).expect(200)).body;
  };

  async function subscriptions(partner: { partnerId: string; apiKey: string }, code: string) {
    const page = await harness.http.get(`/v1/partners/${partner.partnerId}/benefits`).set(bearer(partner.apiKey)).expect(200);
    return {
      termEnd: page.body.termEnd as string,
      rows: (page.body.entitlements as Array<Record<string, unknown>>).filter((row) => row.benefitCode === code),
    };
  }

  it('prices TechNet per level and competency for a Registered and a Gold partner, and once paid each holds it until the term ends', async () => {
    const registered = await member('registered');
    const gold = await member('gold');
    // The quote shows beforehand what the invoice will say, to the partner and to staff.
    const quoted = await harness.http
      .get(`/v1/partners/${gold.partnerId}/benefits/technet-subscription/quote`)
      .set(bearer(gold.apiKey))
      .expect(200);
    expect(quoted.body).toMatchObject({
      benefitCode: 'technet-subscription',
      termNumber: 1,
      price: {
        listMinor: 34900,
        memberMinor: 17500,
        discountBps: 1000,
        discountCompetency: 'security',
        proration: null,
        amountMinor: 15750,
      },
      totalMinor: 15750,
      purchase: `/v1/partners/${gold.partnerId}/benefits/technet-subscription/purchases`,
    });
    await harness.http
      .get(`/v1/partners/${registered.partnerId}/benefits/technet-subscription/quote`)
      .set(bearer(harness.reviewerKey))
      .expect(200);
    const accepted = await purchase(registered, 'technet-subscription').expect(202);
    expect(accepted.body).toEqual({
      purchaseId: expect.any(String),
      workflowId: `benefit-purchase-${registered.partnerId}-${accepted.body.purchaseId}`,
      status: 'invoicing',
      autoRenew: false,
    });
    const goldAccepted = await purchase(gold, 'technet-subscription', { autoRenew: true }).expect(202);
    expect(goldAccepted.body).toMatchObject({ status: 'invoicing', autoRenew: true });

    // Bought at the term's start: a whole term, nothing prorated.
    const registeredInvoice = await invoiceOf(registered, accepted.body.purchaseId);
    expect(registeredInvoice).toMatchObject({ purpose: 'benefit', status: 'open', currency: 'USD', totalMinor: 31400 });
    expect(registeredInvoice.lines.map((line: Line) => [line.description, line.amountMinor])).toEqual([
      ['TechNet subscription at member savings: list price for a membership term', 34900],
      ['Member saving, Registered Member', -3500],
    ]);
    // Gold's member price 175.00, less the 10% its Security competency saves.
    const goldInvoice = await invoiceOf(gold, goldAccepted.body.purchaseId);
    expect(goldInvoice).toMatchObject({ purpose: 'benefit', totalMinor: 15750 });
    expect(goldInvoice.lines.map((line: Line) => [line.description, line.amountMinor])).toEqual([
      ['TechNet subscription at member savings: list price for a membership term', 34900],
      ['Member saving, Gold Certified Partner', -17400],
      ['Competency saving 10% (security)', -1750],
    ]);
    expect(goldInvoice.lines).toEqual(quoted.body.lines);
    expect(quoted.body.validUntil).toBe((await subscriptions(gold, 'technet-subscription')).termEnd);

    // While the first purchase waits for its payment, a second one is refused; a repeat of the first answers it.
    const inFlight = await purchase(registered, 'technet-subscription').expect(409);
    expect(inFlight.body).toMatchObject({ code: 'subscription_active', details: { benefitCode: 'technet-subscription' } });
    expect((await subscriptions(registered, 'technet-subscription')).rows).toEqual([]);
    const quotedAgain = await harness.http
      .get(`/v1/partners/${registered.partnerId}/benefits/technet-subscription/quote`)
      .set(bearer(registered.apiKey))
      .expect(409);
    expect(quotedAgain.body.code).toBe('subscription_active');

    await payInvoiceFor(harness, accepted.body.purchaseId);
    await payInvoiceFor(harness, goldAccepted.body.purchaseId);
    for (const [partner, purchaseId] of [
      [registered, accepted.body.purchaseId],
      [gold, goldAccepted.body.purchaseId],
    ] as const) {
      const held = await eventually(async () => {
        const view = await subscriptions(partner, 'technet-subscription');
        return view.rows.length > 0 && view;
      });
      expect(held.rows).toEqual([
        expect.objectContaining({
          kind: 'subscription',
          source: 'purchase',
          sourceRef: purchaseId,
          quantity: null,
          state: 'active',
          validUntil: held.termEnd,
          endedAt: null,
        }),
      ]);
      const paid = await invoiceOf(partner, purchaseId);
      expect(paid).toMatchObject({ status: 'paid', balanceMinor: 0 });
      expect(await harness.prisma.benefitPurchase.findUniqueOrThrow({ where: { id: purchaseId } })).toMatchObject({
        status: 'paid',
        entitlementId: held.rows[0].id,
        priceMinor: paid.totalMinor,
      });
    }

    // Held for the term: buying it again is 409, whoever asks; another benefit is still for sale.
    const again = await purchase(gold, 'technet-subscription').expect(409);
    expect(again.body.code).toBe('subscription_active');
    await harness.http
      .post(`/v1/partners/${gold.partnerId}/benefits/technet-subscription/purchases`)
      .set(bearer(harness.adminKey))
      .expect(409);
    await purchase(gold, 'action-pack').expect(202);
    expect(await harness.prisma.benefitPurchase.count({ where: { partnerId: gold.partnerId, benefitCode: 'technet-subscription' } })).toBe(
      1,
    );
  });

  it('answers a repeated Idempotency-Key with the same purchase, even after it is paid', async () => {
    const partner = await member('registered');
    const first = await purchase(partner, 'action-pack', {}, 'action-pack-1').expect(202);
    const repeat = await purchase(partner, 'action-pack', {}, 'action-pack-1').expect(202);
    expect(repeat.body.purchaseId).toBe(first.body.purchaseId);
    await payInvoiceFor(harness, first.body.purchaseId);
    await eventually(async () => (await subscriptions(partner, 'action-pack')).rows.length > 0);
    const later = await purchase(partner, 'action-pack', {}, 'action-pack-1').expect(202);
    expect(later.body).toMatchObject({ purchaseId: first.body.purchaseId, status: 'paid' });
    expect(await harness.prisma.invoice.count({ where: { subjectId: first.body.purchaseId } })).toBe(1);
  });

  it('prorates a purchase made mid-term for the days left, and says so on the invoice', async () => {
    const partner = await member('gold');
    // The term began 292 days ago: 73 of its 365 days are left.
    const start = new Date(Date.now() - 292 * DAY_MS - 60_000);
    await harness.prisma.membership.update({
      where: { partnerId: partner.partnerId },
      data: { termStart: start, termEnd: new Date(start.getTime() + 365 * DAY_MS) },
    });
    const accepted = await purchase(partner, 'msdn-subscription').expect(202);
    const invoice = await invoiceOf(partner, accepted.body.purchaseId);
    // Gold pays 600.00 a term; 73 of 365 days of it is 120.00.
    expect(invoice.lines.map((line: Line) => [line.description, line.amountMinor])).toEqual([
      ['MSDN subscription at member savings: list price for a membership term', 120000],
      ['Member saving, Gold Certified Partner', -60000],
      ['Prorated: 73 of 365 days left in the term', -48000],
    ]);
    expect(invoice.totalMinor).toBe(12000);
  });

  it('refuses an included benefit (422), an unknown one (404) and a body the document does not allow (400)', async () => {
    const partner = await member('registered');
    expect((await purchase(partner, 'partner-learning-center').expect(422)).body.code).toBe('benefit_not_offered');
    expect((await purchase(partner, 'no-such-benefit').expect(404)).body.code).toBe('not_found');
    for (const body of [{ autoRenew: 'yes' }, { autoRenew: null }, { autoRenew: true, note: 'x' }]) {
      const refused = await purchase(partner, 'action-pack', body).expect(400);
      expect(refused.body.code).toBe('validation_failed');
    }
    // None of them reserved anything: the corrected request goes through under the same key.
    await purchase(partner, 'action-pack', { autoRenew: false }, 'corrected').expect(202);
  });
});
