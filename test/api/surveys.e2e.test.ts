import { randomUUID } from 'node:crypto';
import { bearer, enrollActivePartner, standingOf, useApiHarness } from '../support/api';
import { eventually } from '../support/fixtures';
import { surveyLinkIn } from '../support/surveys';

describe('customer satisfaction through the API, under the default catalog', () => {
  const harness = useApiHarness();

  function invite(partner: { partnerId: string; apiKey: string }, customerEmail: string) {
    return harness.http
      .post(`/v1/partners/${partner.partnerId}/surveys`)
      .set(bearer(partner.apiKey))
      .send({ customerName: 'Bea Buyer', customerEmail });
  }

  /** Invites a customer and answers with the token the customer received. */
  async function answered(partner: { partnerId: string; apiKey: string }, customerEmail: string, scores: number[]) {
    await invite(partner, customerEmail).expect(202);
    const mail = await eventually(async () => harness.worker.mailer.sent.find((message) => message.to === customerEmail));
    const { token } = surveyLinkIn(mail.body);
    await eventually(async () => (await harness.prisma.surveyInvitation.findFirst({ where: { customerEmail, status: 'sent' } })) !== null);
    await harness.http.post('/v1/surveys/responses').send({ token, scores }).expect(200);
    return token;
  }

  it('measures satisfaction per question from customer organizations, never the partner itself, and awards its points once', async () => {
    const partner = await enrollActivePartner(harness, harness.reviewerKey);
    const { website, contactEmail } = await harness.prisma.partner.findUniqueOrThrow({ where: { id: partner.partnerId } });
    const tag = randomUUID().slice(0, 8);

    // The partner's own domains (its website's, its contact's) cannot answer for it.
    const own = await invite(partner, `boss@${new URL(website).hostname}`).expect(422);
    expect(own.body.fields).toEqual([expect.objectContaining({ field: 'customerEmail', code: 'own_domain_recipient' })]);
    await invite(partner, `colleague@${contactEmail.split('@')[1]}`).expect(422);

    // Five customers answer well, but from two organizations only: the index counts, the points wait.
    const first = `cio@${tag}-northwind.example`;
    const token = await answered(partner, first, [5, 5, 4, 5]);
    await answered(partner, `cto@${tag}-northwind.example`, [5, 4, 4, 5]);
    for (const n of [1, 2, 3]) await answered(partner, `buyer${n}@${tag}-fabrikam.example`, [5, 5, 5, 4]);
    expect(
      (
        await harness.http
          .post('/v1/surveys/responses')
          .send({ token, scores: [5, 5, 5, 5] })
          .expect(409)
      ).body.code,
    ).toBe('survey_closed');
    expect((await invite(partner, first).expect(409)).body.code).toBe('already_invited');
    const twoOrganizations = (
      await harness.http.get(`/v1/partners/${partner.partnerId}/satisfaction`).set(bearer(partner.apiKey)).expect(200)
    ).body;
    expect(twoOrganizations).toMatchObject({ responses: 5, organizations: 2, minDistinctOrganizations: 3, earnsPoints: false, index: 93 });
    expect((await standingOf(harness, partner)).points.total).toBe(0);

    // A third organization: 40 points, once.
    await answered(partner, `owner@${tag}-tailspin.example`, [4, 4, 4, 4]);
    const satisfaction = (await harness.http.get(`/v1/partners/${partner.partnerId}/satisfaction`).set(bearer(partner.apiKey)).expect(200))
      .body;
    expect(satisfaction).toMatchObject({ responses: 6, organizations: 3, earnsPoints: true, ownDomainResponses: 0 });
    expect(satisfaction.perQuestion).toEqual([
      { code: 'overall', text: expect.any(String), average: 4.83, answers: 6 },
      { code: 'quality', text: expect.any(String), average: 4.67, answers: 6 },
      { code: 'responsiveness', text: expect.any(String), average: 4.5, answers: 6 },
      { code: 'value', text: expect.any(String), average: 4.33, answers: 6 },
    ]);
    expect(satisfaction.invitations).toHaveLength(6);
    expect(satisfaction.invitations.every((invitation: { status: string }) => invitation.status === 'answered')).toBe(true);
    const standing = await standingOf(harness, partner);
    expect(standing.points.bySource).toEqual([expect.objectContaining({ sourceCode: 'customer-satisfaction', counted: 40 })]);
    expect(await harness.prisma.pointEntry.count({ where: { partnerId: partner.partnerId } })).toBe(1);
  });

  it('writes nothing of the partner’s into the mail but a validated customer name', async () => {
    const partner = await enrollActivePartner(harness, harness.reviewerKey);
    const customerEmail = `buyer@${randomUUID().slice(0, 8)}-customer.example`;
    for (const customerName of [
      'Claim your prize at www.prizes.example',
      'Bea https://evil.example',
      'Bea\nBuyer',
      'Call 0800 123',
      'x'.repeat(101),
    ]) {
      const refused = await harness.http
        .post(`/v1/partners/${partner.partnerId}/surveys`)
        .set(bearer(partner.apiKey))
        .send({ customerName, customerEmail })
        .expect(400);
      expect(refused.body.fields).toEqual([expect.objectContaining({ field: 'customerName' })]);
    }
    for (const customerName of ["Mary-Jane O'Neil", 'J. R. Tolkien', 'Zoë Müller']) {
      await harness.http
        .post(`/v1/partners/${partner.partnerId}/surveys`)
        .set(bearer(partner.apiKey))
        .send({ customerName, customerEmail: `${randomUUID().slice(0, 8)}@${randomUUID().slice(0, 8)}-customer.example` })
        .expect(202);
    }
    expect(harness.worker.mailer.sent.some((message) => message.to === customerEmail)).toBe(false);
  });

  it('takes answers to every question only, and stops invitations at the catalog limit of the period', async () => {
    const partner = await enrollActivePartner(harness, harness.reviewerKey);
    const customer = `cfo@${randomUUID().slice(0, 8)}-contoso-customer.example`;
    await invite(partner, customer).expect(202);
    const mail = await eventually(async () => harness.worker.mailer.sent.find((message) => message.to === customer));
    const { token } = surveyLinkIn(mail.body);
    await eventually(
      async () => (await harness.prisma.surveyInvitation.findFirst({ where: { customerEmail: customer, status: 'sent' } })) !== null,
    );
    const partial = await harness.http
      .post('/v1/surveys/responses')
      .send({ token, scores: [5, 4] })
      .expect(422);
    expect(partial.body.fields).toEqual([expect.objectContaining({ field: 'scores', code: 'question_count' })]);

    // The catalog allows 100 invitations a year: the year's earlier ones are on record.
    const now = new Date();
    await harness.prisma.surveyInvitation.createMany({
      data: Array.from({ length: 99 }, (_, n) => ({
        id: randomUUID(),
        partnerId: partner.partnerId,
        customerEmail: `earlier-${n}@customers.example`,
        tokenHash: randomUUID(),
        workflowId: `survey-${randomUUID()}`,
        status: 'expired',
        scores: [],
        expiresAt: now,
        createdAt: now,
      })),
    });
    const limited = await invite(partner, `one-more@${randomUUID().slice(0, 8)}.example`).expect(409);
    expect(limited.body.code).toBe('invitation_limit_reached');
    expect(await harness.prisma.surveyInvitation.count({ where: { partnerId: partner.partnerId } })).toBe(100);
  });
});
