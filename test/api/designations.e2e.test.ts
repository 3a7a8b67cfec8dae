import { randomUUID } from 'node:crypto';
import { DAY_MS } from '../../domain/time';
import { partnerDesignationId } from '../../lib/ids';
import { bearer, type Enrolled, enrollActivePartner, recordVerifiedEvidence, useApiHarness } from '../support/api';
import { eventually } from '../support/fixtures';

const SBSC = 'small-business-specialist';

/** Evidence of the partner's enrollment in the Small Business Specialist Community, a month ago. */
const communityEnrollment = (memberId: string) => ({
  kind: 'small-business-specialist',
  details: { memberId, enrolledAt: new Date(Date.now() - 30 * DAY_MS).toISOString().slice(0, 10) },
});

const professionals = (count: number) =>
  Array.from({ length: count }, (_, n) => ({
    kind: 'certified-professional',
    details: { personName: `Pro ${n}`, email: `pro${n}-${randomUUID().slice(0, 8)}@partner.example`, certificationIds: ['MCSE'] },
  }));

describe('the Small Business Specialist designation through the API', () => {
  const harness = useApiHarness();

  const apply = (partner: Enrolled, body: object, key: string = randomUUID(), as = partner.apiKey) =>
    harness.http.post(`/v1/partners/${partner.partnerId}/designations`).set(bearer(as)).set('Idempotency-Key', key).send(body);

  async function designations(partner: Enrolled) {
    const response = await harness.http.get(`/v1/partners/${partner.partnerId}/designations`).set(bearer(partner.apiKey)).expect(200);
    return response.body as Array<{ code: string; status: string; statusReason: string | null; validUntil: string | null }>;
  }

  const sbscOf = async (partner: Enrolled) => (await designations(partner)).find((designation) => designation.code === SBSC);

  /** An active partner whose first membership term has started. */
  async function member(): Promise<Enrolled> {
    const partner = await enrollActivePartner(harness, harness.reviewerKey);
    await eventually(() => harness.prisma.entitlement.findFirst({ where: { partnerId: partner.partnerId } }));
    return partner;
  }

  const pendingReview = (partner: Enrolled) =>
    eventually(() =>
      harness.prisma.reviewTask.findFirst({
        where: { kind: 'designation', subjectId: partnerDesignationId(partner.partnerId, SBSC), status: 'pending' },
      }),
    );

  async function toolkit(partner: Enrolled) {
    const response = await harness.http.get(`/v1/partners/${partner.partnerId}/benefits`).set(bearer(partner.apiKey)).expect(200);
    return (
      response.body.entitlements as Array<{ benefitCode: string; source: string; sourceRef: string; state: string; endReason: string }>
    ).find((entitlement) => entitlement.benefitCode === 'sbsc-toolkit');
  }

  it('is applied for, reviewed in the queue, granted for the membership year with its toolkit, and revoked by an admin', async () => {
    const partner = await member();
    await recordVerifiedEvidence(harness, partner, harness.reviewerKey, [communityEnrollment('SB-1001'), ...professionals(2)]);
    const body = { code: SBSC, communityMemberId: 'SB-1001' };
    const applied = await apply(partner, body, 'sbsc-1').expect(202);
    expect(applied.body).toEqual({
      designationId: partnerDesignationId(partner.partnerId, SBSC),
      code: SBSC,
      workflowId: `designation-${partner.partnerId}-${SBSC}`,
      status: 'in-review',
    });
    const task = await pendingReview(partner);
    await eventually(async () => (await sbscOf(partner))?.status === 'in-review');
    // The same request again answers where it stands; another one is a conflict while it is reviewed.
    expect((await apply(partner, body, 'sbsc-1').expect(202)).body).toEqual(applied.body);
    expect((await apply(partner, body).expect(409)).body.code).toBe('designation_in_review');

    const queue = await harness.http
      .get('/v1/reviews?kind=designation&status=pending&limit=200')
      .set(bearer(harness.reviewerKey))
      .expect(200);
    const queued = (queue.body.items as Array<{ id: string; summary: string }>).find((item) => item.id === task.id);
    expect(queued?.summary).toContain('community member SB-1001');
    expect(queued?.summary).toContain('certifiedProfessionals 2/2');
    const decided = await harness.http
      .post(`/v1/reviews/${task.id}/decision`)
      .set(bearer(harness.reviewerKey))
      .send({ decision: 'approve', reason: 'Community membership checked' })
      .expect(200);
    expect(decided.body).toMatchObject({ kind: 'designation', status: 'approved' });

    const granted = await eventually(async () => {
      const designation = await sbscOf(partner);
      return designation?.status === 'granted' && designation;
    });
    const profile = (await harness.http.get(`/v1/partners/${partner.partnerId}`).set(bearer(partner.apiKey)).expect(200)).body;
    // Valid for the membership year: until the end of the current term, re-verified at its renewal.
    expect(granted.validUntil).toBe(profile.membership.termEnd);
    expect(profile.designations).toEqual([{ code: SBSC, grantedAt: expect.any(String), validUntil: profile.membership.termEnd }]);
    expect(await toolkit(partner)).toMatchObject({ source: 'designation', sourceRef: SBSC, state: 'active' });
    await eventually(() => harness.prisma.notification.findFirst({ where: { partnerId: partner.partnerId, kind: 'designation-granted' } }));
    expect((await apply(partner, body).expect(409)).body.code).toBe('designation_already_granted');

    const revokePath = `/v1/partners/${partner.partnerId}/designations/${SBSC}/revoke`;
    await harness.http.post(revokePath).set(bearer(partner.apiKey)).send({ reason: 'mine' }).expect(403);
    const revoked = await harness.http.post(revokePath).set(bearer(harness.adminKey)).send({ reason: 'Left the community' }).expect(200);
    expect(revoked.body).toEqual({ code: SBSC, status: 'revoked' });
    expect((await harness.http.post(revokePath).set(bearer(harness.adminKey)).send({ reason: 'again' }).expect(409)).body.code).toBe(
      'designation_not_granted',
    );
    expect(await sbscOf(partner)).toMatchObject({ status: 'revoked', statusReason: 'Left the community' });
    expect(await toolkit(partner)).toMatchObject({ state: 'ended', endReason: 'no-longer-included' });
    const after = (await harness.http.get(`/v1/partners/${partner.partnerId}`).set(bearer(partner.apiKey)).expect(200)).body;
    expect(after.designations).toEqual([]);
    await eventually(() => harness.prisma.notification.findFirst({ where: { partnerId: partner.partnerId, kind: 'designation-revoked' } }));
  });

  it('refuses unmet requirements with what is missing, reserving nothing, and takes the corrected request under the same key', async () => {
    const partner = await member();
    await recordVerifiedEvidence(harness, partner, harness.reviewerKey, professionals(1));
    const body = { code: SBSC, communityMemberId: 'SB-2002' };
    const unmet = await apply(partner, body, 'sbsc-2').expect(422);
    expect(unmet.body).toMatchObject({ code: 'designation_requirements_unmet', details: { code: SBSC } });
    expect(unmet.body.details.missing).toEqual([
      expect.objectContaining({ requirement: 'communityEnrollment', have: 0, need: 1, accepted: ['SB-2002'] }),
      expect.objectContaining({ requirement: 'competencies', have: 0, need: 1, alternative: true }),
      expect.objectContaining({ requirement: 'certifiedProfessionals', have: 1, need: 2, alternative: true }),
    ]);
    expect(await sbscOf(partner)).toBeUndefined();

    await recordVerifiedEvidence(harness, partner, harness.reviewerKey, [communityEnrollment('SB-2002'), ...professionals(1)]);
    await apply(partner, body, 'sbsc-2').expect(202);
    const task = await pendingReview(partner);
    await harness.http
      .post(`/v1/reviews/${task.id}/decision`)
      .set(bearer(harness.reviewerKey))
      .send({ decision: 'request_changes', reason: 'More' })
      .expect(422);
    await harness.http
      .post(`/v1/reviews/${task.id}/decision`)
      .set(bearer(harness.reviewerKey))
      .send({ decision: 'reject', reason: 'Member id not on the community roll' })
      .expect(200);
    await eventually(async () => (await sbscOf(partner))?.status === 'rejected');
    expect(await sbscOf(partner)).toMatchObject({ statusReason: 'Member id not on the community roll', validUntil: null });
    expect(await toolkit(partner)).toBeUndefined();
    // A rejected application may be made again: a new run of the same workflow.
    await apply(partner, body).expect(202);
    await pendingReview(partner);
  });

  it('refuses unknown designations and keeps each partner to its own', async () => {
    const partner = await member();
    const other = await member();
    const unknown = await apply(partner, { code: 'enterprise-specialist', communityMemberId: 'X' }).expect(422);
    expect(unknown.body).toMatchObject({ code: 'unknown_designation', details: { validCodes: [SBSC] } });
    await apply(partner, { code: SBSC }).expect(400);
    await apply(partner, { code: SBSC, communityMemberId: '   ' }).expect(400);
    await apply(other, { code: SBSC, communityMemberId: 'SB-3' }, randomUUID(), partner.apiKey).expect(404);
    await harness.http.get(`/v1/partners/${other.partnerId}/designations`).set(bearer(partner.apiKey)).expect(404);
    await harness.http
      .post(`/v1/partners/${other.partnerId}/designations/${SBSC}/revoke`)
      .set(bearer(harness.adminKey))
      .send({ reason: 'never applied' })
      .expect(404);
  });
});
