import { TemporalService } from '../../apps/api/src/temporal/temporal.module';
import { profileChangeWorkflowId } from '../../workflows/profiles/definitions';
import { bearer, enrollActivePartner, useApiHarness } from '../support/api';
import { maybeRecordHistory } from '../support/histories';

describe('the partner profile through the API: partial changes, enrollment’s checks, audited', () => {
  const harness = useApiHarness();

  it('starts from what enrollment captured, changes only the fields given, and audits before and after', async () => {
    const partner = await enrollActivePartner(harness, harness.reviewerKey);
    const path = `/v1/partners/${partner.partnerId}/profile`;
    const enrolled = (await harness.http.get(path).set(bearer(partner.apiKey)).expect(200)).body;
    expect(enrolled).toMatchObject({
      partnerId: partner.partnerId,
      description: '',
      industries: ['retail'],
      customerSizes: ['small-business'],
      technologies: ['sql-server'],
      languages: [],
      serviceAreas: [],
      listed: true,
      contact: { name: 'Ada Lovelace', email: expect.stringContaining('@contoso') },
    });

    const change = {
      description: 'Retail analytics on SQL Server.\nSmall businesses across the UK and Ireland.',
      technologies: ['sql-server', 'power-bi'],
      languages: ['en', 'ga'],
      serviceAreas: ['IE', 'DE-BY'],
      contact: { email: 'partners@contoso.example' },
    };
    const changed = await harness.http.patch(path).set(bearer(partner.apiKey)).send(change).expect(200);
    expect(changed.body).toEqual({
      ...enrolled,
      ...change,
      contact: { name: 'Ada Lovelace', email: 'partners@contoso.example' },
    });
    expect((await harness.http.get(path).set(bearer(harness.reviewerKey)).expect(200)).body).toEqual(changed.body);
    // The notices go to the new address.
    expect(await harness.prisma.partner.findUniqueOrThrow({ where: { id: partner.partnerId } })).toMatchObject({
      contactEmail: 'partners@contoso.example',
    });

    const audit = await harness.prisma.auditEvent.findMany({ where: { entityId: partner.partnerId, action: 'partner.profile_changed' } });
    expect(audit).toHaveLength(1);
    expect(audit[0].before).toEqual({
      description: '',
      technologies: ['sql-server'],
      languages: [],
      serviceAreas: [],
      contact: enrolled.contact,
    });
    expect(audit[0].after).toEqual({ ...change, contact: changed.body.contact });
    const requestId = audit[0].dedupeKey.replace('profile-change:', '');
    const handle = harness.app.get(TemporalService).client.workflow.getHandle(profileChangeWorkflowId(partner.partnerId, requestId));
    await maybeRecordHistory(handle, 'profile-changed');

    // The same change again changes nothing and records nothing; an admin may opt the partner out.
    await harness.http.patch(path).set(bearer(partner.apiKey)).send(change).expect(200);
    const optedOut = await harness.http.patch(path).set(bearer(harness.adminKey)).send({ listed: false }).expect(200);
    expect(optedOut.body).toEqual({ ...changed.body, listed: false });
    expect(await harness.prisma.auditEvent.count({ where: { entityId: partner.partnerId, action: 'partner.profile_changed' } })).toBe(2);
  });

  it('refuses what enrollment refuses, and markup, control characters and unknown codes, field by field', async () => {
    const partner = await enrollActivePartner(harness, harness.reviewerKey);
    const path = `/v1/partners/${partner.partnerId}/profile`;
    const refused = await harness.http
      .patch(path)
      .set(bearer(partner.apiKey))
      .send({
        description: 'We build <b>great</b> apps',
        website: 'ftp://contoso.example',
        industries: [''],
        technologies: null,
        languages: ['EN', 'english'],
        serviceAreas: ['XX', 'GB-', 'gb'],
        listed: 'yes',
        contact: { email: 'not-an-address', name: '' },
        legalName: 'Renamed Ltd',
      })
      .expect(400);
    expect(refused.body.code).toBe('validation_failed');
    const fields = new Set(refused.body.fields.map((problem: { field: string }) => problem.field));
    expect(fields).toEqual(
      new Set([
        'description',
        'website',
        'industries',
        'technologies',
        'languages',
        'serviceAreas',
        'listed',
        'contact.email',
        'contact.name',
        'legalName',
      ]),
    );
    expect(refused.body.fields).toContainEqual({ field: 'legalName', reason: 'is not a known field', code: 'unknown_field' });
    const controls = await harness.http.patch(path).set(bearer(partner.apiKey)).send({ description: 'tab\there' }).expect(400);
    expect(controls.body.fields).toEqual([expect.objectContaining({ field: 'description', code: 'matches' })]);
    await harness.http
      .patch(path)
      .set(bearer(partner.apiKey))
      .send({ description: 'x'.repeat(2001) })
      .expect(400);
    // Nothing changed.
    expect((await harness.http.get(path).set(bearer(partner.apiKey)).expect(200)).body).toMatchObject({ description: '', listed: true });
  });

  it('keeps other partners out, reviewers reading, and a lapsed partner’s key from changing anything', async () => {
    const partner = await enrollActivePartner(harness, harness.reviewerKey);
    const other = await enrollActivePartner(harness, harness.reviewerKey);
    const path = `/v1/partners/${partner.partnerId}/profile`;
    await harness.http.get(path).set(bearer(other.apiKey)).expect(404);
    await harness.http.patch(path).set(bearer(other.apiKey)).send({ listed: false }).expect(404);
    await harness.http.patch(path).set(bearer(harness.reviewerKey)).send({ listed: false }).expect(403);

    await harness.prisma.partner.update({ where: { id: partner.partnerId }, data: { status: 'lapsed' } });
    await harness.http.get(path).set(bearer(partner.apiKey)).expect(200);
    const readOnly = await harness.http.patch(path).set(bearer(partner.apiKey)).send({ listed: false }).expect(403);
    expect(readOnly.body.code).toBe('partner_read_only');
  });
});
