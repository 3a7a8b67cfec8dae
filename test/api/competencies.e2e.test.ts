import { partnerCompetencyId } from '../../lib/ids';
import {
  bearer,
  enrollActivePartner,
  payInvoiceFor,
  recordVerifiedEvidence,
  securityEvidence,
  standingOf,
  useApiHarness,
} from '../support/api';
import { eventually } from '../support/fixtures';

/** Tested solutions worth 40 points: with the evidence above and the competency, over 50. */
const TESTED_SOLUTIONS = ['S-1', 'S-2', 'S-3', 'S-4'].map((testId) => ({
  kind: 'tested-solution',
  details: { solutionName: `Solution ${testId}`, testType: 'software-certification', testId, result: 'passed' },
}));

describe('competencies through the API, under the default catalog', () => {
  const harness = useApiHarness();

  async function competencies(partner: { partnerId: string; apiKey: string }) {
    return (await harness.http.get(`/v1/partners/${partner.partnerId}/competencies`).set(bearer(partner.apiKey)).expect(200))
      .body as Array<{
      code: string;
      status: string;
      validUntil: string | null;
      assessment: { met: boolean; checks: Array<{ requirement: string; have: number; need: number }> } | null;
    }>;
  }

  it('takes a Registered partner to Certified through a granted competency plus points', async () => {
    const partner = await enrollActivePartner(harness, harness.reviewerKey);
    const applied = await harness.http
      .post(`/v1/partners/${partner.partnerId}/competencies`)
      .set(bearer(partner.apiKey))
      .send({ code: 'security' })
      .expect(202);
    expect(applied.body).toMatchObject({ code: 'security', status: 'verifying', workflowId: `competency-${partner.partnerId}-security` });
    const waiting = await eventually(async () => {
      const [security] = await competencies(partner);
      return security?.status === 'awaiting-evidence' && security;
    });
    expect(waiting.assessment!.checks).toEqual([
      expect.objectContaining({ requirement: 'certifiedProfessionals', have: 0, need: 2 }),
      expect.objectContaining({ requirement: 'customerReferences', have: 0, need: 3 }),
    ]);
    const again = await harness.http
      .post(`/v1/partners/${partner.partnerId}/competencies`)
      .set(bearer(partner.apiKey))
      .send({ code: 'security' })
      .expect(202);
    expect(again.body).toEqual({ ...applied.body, status: 'awaiting-evidence' });

    await recordVerifiedEvidence(harness, partner, harness.reviewerKey, [...securityEvidence('cert'), ...TESTED_SOLUTIONS]);
    const review = await eventually(() =>
      harness.prisma.reviewTask.findFirst({
        where: { kind: 'competency', subjectId: partnerCompetencyId(partner.partnerId, 'security'), status: 'pending' },
      }),
    );
    expect(review.summary).toContain('certifiedProfessionals 2/2');
    const offered = await harness.http
      .post(`/v1/reviews/${review.id}/decision`)
      .set(bearer(harness.reviewerKey))
      .send({ decision: 'approve', reason: 'Evidence checked' })
      .expect(200);
    expect(offered.body).toMatchObject({ kind: 'competency', status: 'approved' });
    await eventually(async () => (await competencies(partner))[0].status === 'granted');
    // Valid for the membership year: to the end of the partner's current term, re-verified at its renewal.
    const { membership } = (await harness.http.get(`/v1/partners/${partner.partnerId}`).set(bearer(partner.apiKey)).expect(200)).body;
    expect((await competencies(partner))[0]).toMatchObject({ validUntil: membership.termEnd });

    const standing = await standingOf(harness, partner);
    // 2 professionals x 1 + 3 references x 2 + 4 tests x 10 + first competency 30 + 20.
    expect(standing.points.total).toBe(98);
    expect(standing.eligibility.find((evaluation) => evaluation.level === 'certified')).toEqual({
      level: 'certified',
      eligible: true,
      missing: [],
    });

    const duplicate = await harness.http
      .post(`/v1/partners/${partner.partnerId}/competencies`)
      .set(bearer(partner.apiKey))
      .send({ code: 'security' })
      .expect(409);
    expect(duplicate.body.code).toBe('competency_already_granted');

    const upgrade = await harness.http
      .post(`/v1/partners/${partner.partnerId}/upgrade`)
      .set(bearer(partner.apiKey))
      .send({ level: 'certified' })
      .expect(202);
    const upgradeReview = await eventually(() =>
      harness.prisma.reviewTask.findFirst({ where: { subjectId: upgrade.body.upgradeRequestId, status: 'pending' } }),
    );
    await harness.http
      .post(`/v1/reviews/${upgradeReview.id}/decision`)
      .set(bearer(harness.reviewerKey))
      .send({ decision: 'approve', reason: 'Qualified' })
      .expect(200);
    await payInvoiceFor(harness, upgrade.body.upgradeRequestId);
    await eventually(async () => {
      const response = await harness.http.get(`/v1/partners/${partner.partnerId}`).set(bearer(partner.apiKey)).expect(200);
      return response.body.level === 'certified';
    });
    // The upgrade told the membership: the current term carries the new level to its renewal.
    await eventually(async () => {
      const response = await harness.http.get(`/v1/partners/${partner.partnerId}`).set(bearer(partner.apiKey)).expect(200);
      return response.body.membership?.level === 'certified';
    });

    const trail = await harness.prisma.auditEvent.findMany({
      where: { entityId: { in: [partner.partnerId, partnerCompetencyId(partner.partnerId, 'security'), upgrade.body.upgradeRequestId] } },
      orderBy: { at: 'asc' },
    });
    expect(trail.map((event) => event.action)).toEqual(
      expect.arrayContaining([
        'competency.verifying',
        'competency.awaiting-evidence',
        'competency.in-review',
        'competency.granted',
        'partner.level_reevaluated',
        'upgrade.requested',
        'upgrade.in_review',
        'upgrade.approved_payment_pending',
        'upgrade.approved',
        'partner.level_changed',
      ]),
    );
    const grantNotice = await harness.prisma.notification.findFirst({ where: { partnerId: partner.partnerId, kind: 'upgrade-available' } });
    expect(grantNotice?.recipient).toMatch(/@contoso\.example$/);
  });

  it('refuses unknown codes with the valid ones, and counts no other partner’s evidence', async () => {
    const partner = await enrollActivePartner(harness, harness.reviewerKey);
    const other = await enrollActivePartner(harness, harness.reviewerKey);
    const unknown = await harness.http
      .post(`/v1/partners/${partner.partnerId}/competencies`)
      .set(bearer(partner.apiKey))
      .send({ code: 'quantum-computing' })
      .expect(422);
    expect(unknown.body).toMatchObject({ code: 'unknown_competency', fields: [{ field: 'code', code: 'unknown_competency' }] });
    expect(unknown.body.details.validCodes).toHaveLength(13);
    expect(unknown.body.details.validCodes).toContain('security');
    await harness.http
      .post(`/v1/partners/${partner.partnerId}/competencies`)
      .set(bearer(partner.apiKey))
      .send({ code: 'Bad Code' })
      .expect(400);
    await harness.http
      .post(`/v1/partners/${other.partnerId}/competencies`)
      .set(bearer(partner.apiKey))
      .send({ code: 'security' })
      .expect(404);
    await harness.http.get(`/v1/partners/${other.partnerId}/competencies`).set(bearer(partner.apiKey)).expect(404);

    // The other partner holds everything Security needs; it never counts for this one.
    await recordVerifiedEvidence(harness, other, harness.reviewerKey, securityEvidence('other'));
    await harness.http
      .post(`/v1/partners/${partner.partnerId}/competencies`)
      .set(bearer(partner.apiKey))
      .send({ code: 'security' })
      .expect(202);
    const [security] = await eventually(async () => {
      const listed = await competencies(partner);
      return listed[0]?.status === 'awaiting-evidence' && listed;
    });
    expect(security.assessment!.checks.map((check) => check.have)).toEqual([0, 0]);
  });

  it('lets a reviewer ask for changes on competencies only, and an admin revoke a grant', async () => {
    const adminKey = harness.adminKey;
    const partner = await enrollActivePartner(harness, harness.reviewerKey);
    await recordVerifiedEvidence(harness, partner, harness.reviewerKey, securityEvidence('revoke'));
    await harness.http.post(`/v1/partners/${partner.partnerId}/competencies`).set(bearer(adminKey)).send({ code: 'security' }).expect(202);
    const review = await eventually(() =>
      harness.prisma.reviewTask.findFirst({ where: { subjectId: partnerCompetencyId(partner.partnerId, 'security'), status: 'pending' } }),
    );
    await harness.http
      .post(`/v1/reviews/${review.id}/decision`)
      .set(bearer(harness.reviewerKey))
      .send({ decision: 'request_changes' })
      .expect(400);
    await harness.http.post(`/v1/reviews/${review.id}/decision`).set(bearer(harness.reviewerKey)).send({ decision: 'approve' }).expect(200);
    await eventually(async () => (await competencies(partner))[0].status === 'granted');

    await harness.http
      .post(`/v1/partners/${partner.partnerId}/competencies/security/revoke`)
      .set(bearer(partner.apiKey))
      .send({ reason: 'mine' })
      .expect(403);
    const revoked = await harness.http
      .post(`/v1/partners/${partner.partnerId}/competencies/security/revoke`)
      .set(bearer(adminKey))
      .send({ reason: 'Certifications lapsed' })
      .expect(200);
    expect(revoked.body).toEqual({ code: 'security', status: 'revoked', reversedPoints: 50 });
    const again = await harness.http
      .post(`/v1/partners/${partner.partnerId}/competencies/security/revoke`)
      .set(bearer(adminKey))
      .send({ reason: 'Certifications lapsed' })
      .expect(409);
    expect(again.body.code).toBe('competency_not_granted');
    expect((await standingOf(harness, partner)).points.total).toBe(8);

    // Evidence reviews offer approve and reject only.
    const evidence = await harness.http
      .post(`/v1/partners/${partner.partnerId}/evidence`)
      .set(bearer(partner.apiKey))
      .send(TESTED_SOLUTIONS[0])
      .expect(202);
    const evidenceReview = await eventually(() =>
      harness.prisma.reviewTask.findFirst({ where: { subjectId: evidence.body.evidenceId, status: 'pending' } }),
    );
    const notOffered = await harness.http
      .post(`/v1/reviews/${evidenceReview.id}/decision`)
      .set(bearer(harness.reviewerKey))
      .send({ decision: 'request_changes', reason: 'More detail' })
      .expect(422);
    expect(notOffered.body.code).toBe('decision_not_offered');
  });
});
