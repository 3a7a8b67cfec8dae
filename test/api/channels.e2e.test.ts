import { randomUUID } from 'node:crypto';
import { bearer, useApiHarness } from '../support/api';
import { createActivePartner, eventually } from '../support/fixtures';
import { memberAt } from '../support/members';

const DAY_MS = 86_400_000;

describe('the Partner Channel Builder: offers between partners, through the API', () => {
  const harness = useApiHarness();

  /** A member at `level` with a key of its own. */
  async function member(level: 'registered' | 'certified' = 'registered'): Promise<{ partnerId: string; apiKey: string }> {
    const partnerId = await memberAt(harness.prisma, level);
    const rotated = await harness.http.post(`/v1/partners/${partnerId}/api-keys/rotate`).set(bearer(harness.adminKey)).expect(201);
    return { partnerId, apiKey: rotated.body.apiKey as string };
  }

  /** A word no other test's offers hold, so searches see only this test's offers. */
  const marker = () => `m${randomUUID().replace(/-/g, '').slice(0, 12)}`;

  const offer = (overrides: Record<string, unknown> = {}) => ({
    kind: 'reseller-wanted',
    description: 'Resellers wanted for our retail analytics suite',
    competencies: ['security'],
    countries: ['GB'],
    validUntil: new Date(Date.now() + 30 * DAY_MS).toISOString(),
    ...overrides,
  });

  const publish = (partner: { partnerId: string; apiKey: string }, body: object) =>
    harness.http.post(`/v1/partners/${partner.partnerId}/channel-offers`).set(bearer(partner.apiKey)).send(body);
  const search = (key: string, query: string) => harness.http.get(`/v1/channel-offers?${query}`).set(bearer(key));
  const answer = (key: string, offerId: string, body: object) =>
    harness.http.post(`/v1/channel-offers/${offerId}/responses`).set(bearer(key)).send(body);
  const thread = (key: string, offerId: string) => harness.http.get(`/v1/channel-offers/${offerId}/responses`).set(bearer(key));

  it('publishes an offer, finds it by words, kind, competency and country, and answers repeated requests once', async () => {
    const offerer = await member('certified');
    const seeker = await member();
    const word = marker();
    const body = offer({ description: `Resellers wanted for ${word} analytics in retail`, countries: ['GB', 'IE'] });
    const published = await publish(offerer, body).set('Idempotency-Key', `offer-${word}`).expect(201);
    expect(published.body).toMatchObject({
      partnerId: offerer.partnerId,
      kind: 'reseller-wanted',
      competencies: ['security'],
      countries: ['GB', 'IE'],
      status: 'open',
      closedReason: null,
    });
    const again = await publish(offerer, body).set('Idempotency-Key', `offer-${word}`).expect(201);
    expect(again.body.id).toBe(published.body.id);
    expect(await harness.prisma.channelOffer.count({ where: { partnerId: offerer.partnerId } })).toBe(1);

    const ids = async (query: string) =>
      ((await search(seeker.apiKey, query).expect(200)).body.items as Array<{ id: string }>).map((item) => item.id);
    expect(await ids(`q=${word}`)).toEqual([published.body.id]);
    expect(await ids(`q=${encodeURIComponent(`"${word} analytics"`)}`)).toEqual([published.body.id]);
    expect(await ids(`q=${encodeURIComponent(`${word} -retail`)}`)).toEqual([]);
    // Within one kind, any value; across kinds, all of them.
    expect(await ids(`q=${word}&country=FR&country=IE`)).toEqual([published.body.id]);
    expect(await ids(`q=${word}&country=FR`)).toEqual([]);
    expect(await ids(`q=${word}&kind=co-selling&kind=reseller-wanted&competency=security`)).toEqual([published.body.id]);
    expect(await ids(`q=${word}&kind=reseller-wanted&competency=data-management`)).toEqual([]);
    // An empty field filters on nothing.
    expect(await ids(`q=${word}&competency=&country=`)).toEqual([published.body.id]);

    const seen = await harness.http.get(`/v1/channel-offers/${published.body.id}`).set(bearer(seeker.apiKey)).expect(200);
    expect(seen.body).toEqual(published.body);
    await search(harness.reviewerKey, `q=${word}`).expect(403);
  });

  it('keeps one thread per respondent: each sees its own, the offering partner every one, and the other side is told', async () => {
    const offerer = await member('certified');
    const [first, second] = [await member(), await member()];
    const published = await publish(offerer, offer()).expect(201);
    const offerId = published.body.id as string;

    const hello = await answer(first.apiKey, offerId, { message: 'We resell in London.' }).expect(201);
    expect(hello.body).toMatchObject({
      offerId,
      respondentId: first.partnerId,
      authorPartnerId: first.partnerId,
      body: 'We resell in London.',
    });
    await answer(second.apiKey, offerId, { message: 'We cover Manchester.' }).expect(201);

    const refused = await answer(offerer.apiKey, offerId, { message: 'Whom?' }).expect(422);
    expect(refused.body.code).toBe('respondent_required');
    const nobody = await answer(offerer.apiKey, offerId, { message: 'Hello?', respondentId: randomUUID() }).expect(422);
    expect(nobody.body.code).toBe('no_such_thread');
    await answer(offerer.apiKey, offerId, { message: 'Let us talk on Monday.', respondentId: first.partnerId }).expect(201);
    await answer(harness.adminKey, offerId, { message: 'Staff do not answer offers.' }).expect(403);

    const bodies = async (key: string) =>
      ((await thread(key, offerId).expect(200)).body.items as Array<{ body: string }>).map((item) => item.body);
    expect(await bodies(first.apiKey)).toEqual(['We resell in London.', 'Let us talk on Monday.']);
    expect(await bodies(second.apiKey)).toEqual(['We cover Manchester.']);
    expect(await bodies(offerer.apiKey)).toEqual(['We resell in London.', 'We cover Manchester.', 'Let us talk on Monday.']);
    expect(await bodies(harness.reviewerKey)).toHaveLength(3);

    const told = (partnerId: string) =>
      harness.prisma.notification.count({ where: { partnerId, kind: 'channel-offer-message', sentAt: { not: null } } });
    await eventually(async () => (await told(offerer.partnerId)) === 2 && (await told(first.partnerId)) === 1);
    expect(await told(second.partnerId)).toBe(0);
    const notice = await harness.prisma.notification.findFirstOrThrow({
      where: { partnerId: first.partnerId, kind: 'channel-offer-message' },
    });
    // The notice says where to read, not what the other partner wrote.
    expect(notice.body).toContain(`/v1/channel-offers/${offerId}/responses`);
    expect(notice.body).not.toContain('Monday');
  });

  it('closes the offers of a partner that withdraws: gone from search, no more answers, still on its own list', async () => {
    const offerer = await member();
    const seeker = await member();
    const word = marker();
    const published = await publish(offerer, offer({ description: `Co-selling ${word}`, kind: 'co-selling', competencies: [] })).expect(
      201,
    );
    const offerId = published.body.id as string;
    await answer(seeker.apiKey, offerId, { message: 'Interested.' }).expect(201);

    await harness.http
      .post(`/v1/partners/${offerer.partnerId}/withdraw`)
      .set(bearer(harness.adminKey))
      .send({ reason: 'Leaving the channel business' })
      .expect(202);
    await eventually(async () => (await harness.prisma.channelOffer.findUnique({ where: { id: offerId } }))?.status === 'closed');

    expect((await search(seeker.apiKey, `q=${word}`).expect(200)).body.items).toEqual([]);
    await harness.http.get(`/v1/channel-offers/${offerId}`).set(bearer(seeker.apiKey)).expect(404);
    await answer(seeker.apiKey, offerId, { message: 'Still there?' }).expect(404);
    const own = await harness.http.get(`/v1/partners/${offerer.partnerId}/channel-offers`).set(bearer(offerer.apiKey)).expect(200);
    expect(own.body.items).toEqual([expect.objectContaining({ id: offerId, status: 'closed', closedReason: 'withdrawn' })]);
  });

  it('refuses what the rules do not allow, with the field and the code', async () => {
    const partner = await member();
    const unknown = await publish(partner, offer({ competencies: ['security', 'knitting'] })).expect(422);
    expect(unknown.body).toMatchObject({ code: 'unknown_competency', fields: [expect.objectContaining({ field: 'competencies' })] });
    for (const validUntil of [new Date(Date.now() - DAY_MS).toISOString(), new Date(Date.now() + 400 * DAY_MS).toISOString()]) {
      const refused = await publish(partner, offer({ validUntil })).expect(422);
      expect(refused.body).toMatchObject({ code: 'invalid_valid_until', fields: [expect.objectContaining({ field: 'validUntil' })] });
    }
    const invalid = await publish(partner, offer({ kind: 'franchise', countries: [] })).expect(400);
    expect(invalid.body.fields.map((field: { field: string }) => field.field).sort()).toEqual(['countries', 'kind']);

    // An active partner whose membership has not granted the Channel Builder (no term yet).
    const catalog = await harness.prisma.catalogVersion.findFirstOrThrow({ orderBy: { effectiveFrom: 'desc' } });
    const bare = await createActivePartner(harness.prisma, catalog.id);
    const notHeld = await harness.http.post(`/v1/partners/${bare}/channel-offers`).set(bearer(harness.adminKey)).send(offer()).expect(422);
    expect(notHeld.body.code).toBe('channel_builder_not_held');
    expect(await harness.prisma.channelOffer.count({ where: { partnerId: { in: [partner.partnerId, bare] } } })).toBe(0);
  });
});
