import { randomUUID } from 'node:crypto';
import { partnerCompetencyId } from '../../lib/ids';
import { TemporalService } from '../../apps/api/src/temporal/temporal.module';
import { consolidationWorkflowId } from '../../workflows/consolidations/definitions';
import {
  bearer,
  enrollActivePartner,
  enrollAndAwaitReview,
  type Enrolled,
  recordVerifiedEvidence,
  securityEvidence,
  standingOf,
  useApiHarness,
} from '../support/api';
import { eventually } from '../support/fixtures';
import { maybeRecordHistory } from '../support/histories';

const testedSolutions = (tag: string, count: number) =>
  Array.from({ length: count }, (_, n) => ({
    kind: 'tested-solution',
    details: { solutionName: `Solution ${tag}-${n}`, testType: 'software-certification', testId: `${tag}-${n}`, result: 'passed' },
  }));

describe('consolidating a separately enrolled partner into another', () => {
  const harness = useApiHarness();

  const request = (survivor: Enrolled, absorbed: Enrolled) =>
    harness.http
      .post(`/v1/partners/${survivor.partnerId}/consolidations`)
      .set(bearer(survivor.apiKey))
      .send({ absorbedPartnerId: absorbed.partnerId });

  async function consolidationReview(consolidationId: string): Promise<string> {
    const review = await eventually(() =>
      harness.prisma.reviewTask.findFirst({ where: { subjectId: consolidationId, status: 'pending' } }),
    );
    expect(review.kind).toBe('consolidation');
    return review.id;
  }

  async function decide(reviewId: string, decision: 'approve' | 'reject') {
    await harness.http
      .post(`/v1/reviews/${reviewId}/decision`)
      .set(bearer(harness.reviewerKey))
      .send({ decision, reason: decision === 'reject' ? 'Not the same organization' : undefined })
      .expect(200);
  }

  async function consolidationOf(id: string, status: string) {
    return eventually(async () => {
      const row = await harness.prisma.consolidation.findUnique({ where: { id } });
      return row?.status === status && row;
    }, 30_000);
  }

  async function ledgerTotal(partnerId: string): Promise<number> {
    return (await harness.prisma.pointEntry.aggregate({ where: { partnerId, kind: { not: 'expiry' } }, _sum: { points: true } }))._sum
      .points!;
  }

  it('pools two Registered partners below the Certified threshold into one that qualifies, moving points as transfers', async () => {
    const survivor = await enrollActivePartner(harness, harness.reviewerKey);
    const absorbed = await enrollActivePartner(harness, harness.reviewerKey);
    const [professionals, references] = [securityEvidence('pooled').slice(0, 2), securityEvidence('pooled').slice(2)];
    // The survivor has the Security professionals, the absorbed partner the references: neither meets Security alone.
    await recordVerifiedEvidence(harness, survivor, harness.reviewerKey, [...professionals, ...testedSolutions('s', 3)]);
    await recordVerifiedEvidence(harness, absorbed, harness.reviewerKey, [...references, ...testedSolutions('a', 2)]);
    await harness.http
      .post(`/v1/partners/${survivor.partnerId}/competencies`)
      .set(bearer(survivor.apiKey))
      .send({ code: 'security' })
      .expect(202);
    await eventually(
      async () =>
        (await harness.prisma.partnerCompetency.findUnique({ where: { id: partnerCompetencyId(survivor.partnerId, 'security') } }))
          ?.status === 'awaiting-evidence',
    );

    const before = { survivor: await standingOf(harness, survivor), absorbed: await standingOf(harness, absorbed) };
    expect([before.survivor.points.total, before.absorbed.points.total]).toEqual([32, 26]);
    for (const standing of Object.values(before)) {
      expect(standing.eligibility.find((level) => level.level === 'certified')!.eligible).toBe(false);
    }
    const ledgerBefore = (await ledgerTotal(survivor.partnerId)) + (await ledgerTotal(absorbed.partnerId));

    const requested = await request(survivor, absorbed).expect(202);
    expect(requested.body).toMatchObject({ status: 'awaiting_consent', workflowId: consolidationWorkflowId(absorbed.partnerId) });
    const id = requested.body.id as string;
    await consolidationOf(id, 'awaiting_consent');
    const bySurvivor = await harness.http.post(`/v1/consolidations/${id}/consent`).set(bearer(survivor.apiKey)).expect(403);
    expect(bySurvivor.body.code).toBe('consent_by_absorbed_partner');
    const consented = await harness.http.post(`/v1/consolidations/${id}/consent`).set(bearer(absorbed.apiKey)).expect(200);
    expect(consented.body).toMatchObject({ status: 'in_review', consentedAt: expect.any(String) });
    const again = await harness.http.post(`/v1/consolidations/${id}/consent`).set(bearer(absorbed.apiKey)).expect(409);
    expect(again.body.code).toBe('consolidation_not_awaiting_consent');
    // The absorbing partner hears of the consent, naming the other partner, with a link to the consolidation.
    const consentNotice = await eventually(() =>
      harness.prisma.notification.findUnique({ where: { dedupeKey: `consolidation:${id}:consented` } }),
    );
    const absorbedName = (await harness.prisma.partner.findUniqueOrThrow({ where: { id: absorbed.partnerId } })).legalName;
    expect(consentNotice).toMatchObject({ partnerId: survivor.partnerId, subject: `${absorbedName} consented to the consolidation` });
    expect(consentNotice.body).toContain(`/v1/consolidations/${id}`);
    await decide(await consolidationReview(id), 'approve');
    const completed = await consolidationOf(id, 'completed');
    expect(completed.moved).toMatchObject({ offices: 1, evidence: 5, duplicateEvidence: 0, transferEntries: 5, points: 26 });

    // The points moved as paired transfer entries: the ledger as a whole holds the same total.
    const transfers = await harness.prisma.pointEntry.findMany({
      where: { kind: 'transfer', dedupeKey: { startsWith: `consolidation:${id}:` } },
    });
    expect(transfers).toHaveLength(10);
    expect(transfers.filter((entry) => entry.partnerId === absorbed.partnerId).every((entry) => entry.points < 0)).toBe(true);
    expect((await ledgerTotal(survivor.partnerId)) + (await ledgerTotal(absorbed.partnerId))).toBe(ledgerBefore);
    expect(await ledgerTotal(absorbed.partnerId)).toBe(0);

    // The pooled evidence meets Security: the survivor's waiting verification was woken and goes to review.
    const competencyReview = await eventually(() =>
      harness.prisma.reviewTask.findFirst({ where: { kind: 'competency', partnerId: survivor.partnerId, status: 'pending' } }),
    );
    expect(competencyReview.summary).toContain('certifiedProfessionals 2/2');
    expect(competencyReview.summary).toContain('customerReferences 3/3');
    await decide(competencyReview.id, 'approve');
    const after = await eventually(async () => {
      const standing = (await harness.http.get(`/v1/partners/${survivor.partnerId}/standing`).set(bearer(survivor.apiKey)).expect(200))
        .body;
      return standing.competencies.granted === 1 && standing;
    });
    expect(after.points.total).toBe(32 + 26 + 50);
    expect(after.eligibility.find((level: { level: string }) => level.level === 'certified')).toMatchObject({
      eligible: true,
      missing: [],
    });
    // Each resource names the office it came from; the absorbed office names its old partner.
    const absorbedOffice = after.offices.find((office: { consolidatedFromPartnerId: string | null }) => office.consolidatedFromPartnerId);
    expect(absorbedOffice).toMatchObject({ consolidatedFromPartnerId: absorbed.partnerId, isPrimary: false });
    expect(after.points.byLocation).toEqual(expect.arrayContaining([{ locationId: absorbedOffice.id, earned: 26 }]));

    // The absorbed membership ended cleanly: its renewal will not run.
    await eventually(
      async () => (await harness.prisma.membership.findUnique({ where: { partnerId: absorbed.partnerId } }))?.status === 'consolidated',
    );

    // The absorbed key no longer works; its history stays readable to admins.
    const gone = await harness.http.get(`/v1/partners/${absorbed.partnerId}`).set(bearer(absorbed.apiKey)).expect(410);
    expect(gone.body).toMatchObject({ code: 'partner_consolidated', details: { consolidatedIntoId: survivor.partnerId } });
    await harness.http.post(`/v1/partners/${absorbed.partnerId}/evidence`).set(bearer(absorbed.apiKey)).send(references[0]).expect(410);
    const history = await harness.http.get(`/v1/partners/${absorbed.partnerId}`).set(bearer(harness.adminKey)).expect(200);
    expect(history.body).toMatchObject({ status: 'consolidated', consolidatedIntoId: survivor.partnerId });
    const absorbedRows = {
      awards: await harness.prisma.pointEntry.count({ where: { partnerId: absorbed.partnerId, kind: 'award' } }),
      evidenceLeft: await harness.prisma.evidence.count({ where: { partnerId: absorbed.partnerId } }),
      audit: await harness.prisma.auditEvent.count({ where: { entityType: 'partner', entityId: absorbed.partnerId } }),
    };
    expect(absorbedRows).toEqual({ awards: 5, evidenceLeft: 0, audit: expect.any(Number) });
    expect(absorbedRows.audit).toBeGreaterThanOrEqual(2);
    await maybeRecordHistory(
      harness.app.get(TemporalService).client.workflow.getHandle(consolidationWorkflowId(absorbed.partnerId)),
      'consolidation-completed',
    );
  });

  it('lets one of two racing consolidations of the same partner through and refuses the other; a rejected one can be asked again', async () => {
    const [first, second, target] = await Promise.all([1, 2, 3].map(() => enrollActivePartner(harness, harness.reviewerKey)));
    const answers = await Promise.all([request(first, target), request(second, target)]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([202, 422]);
    const refused = answers.find((answer) => answer.status === 422)!;
    expect(refused.body).toMatchObject({ code: 'consolidation_refused' });
    const winner = answers.find((answer) => answer.status === 202)!;

    await consolidationOf(winner.body.id, 'awaiting_consent');
    await harness.http.post(`/v1/consolidations/${winner.body.id}/consent`).set(bearer(target.apiKey)).expect(200);
    await decide(await consolidationReview(winner.body.id), 'reject');
    await consolidationOf(winner.body.id, 'rejected');
    expect(await harness.prisma.partner.findUniqueOrThrow({ where: { id: target.partnerId } })).toMatchObject({ status: 'active' });
    await request(second, target).expect(202);
  });

  it('refuses an unknown, foreign or pending partner with one answer that tells nothing about it, and a partner itself', async () => {
    const british = await enrollActivePartner(harness, harness.reviewerKey);
    const french = await enrollActivePartner(harness, harness.reviewerKey, 'FR');
    const pending = await enrollAndAwaitReview(harness);
    const abroad = await request(british, french).expect(422);
    expect(abroad.body).toEqual({ code: 'consolidation_refused', message: expect.any(String) });
    expect(JSON.stringify(abroad.body)).not.toMatch(/FR|active|pending/);
    const unknown = await request(british, { ...french, partnerId: randomUUID() }).expect(422);
    const notActive = await request(british, pending).expect(422);
    expect(unknown.body).toEqual(abroad.body);
    expect(notActive.body).toEqual(abroad.body);
    expect((await request(british, british).expect(422)).body.code).toBe('same_partner');
    await harness.http
      .post(`/v1/partners/${british.partnerId}/consolidations`)
      .set(bearer(british.apiKey))
      .send({ absorbedPartnerId: 'x' })
      .expect(400);
  });

  it('lets the partner named decline, which frees it at once, and caps the requests one partner keeps open', async () => {
    const [asker, named, rightful, ...others] = await Promise.all(
      [1, 2, 3, 4, 5, 6].map(() => enrollActivePartner(harness, harness.reviewerKey)),
    );
    const asked = await request(asker, named).expect(202);
    await consolidationOf(asked.body.id, 'awaiting_consent');
    expect((await request(asker, named).expect(202)).body.id).toBe(asked.body.id);
    await harness.http.post(`/v1/consolidations/${asked.body.id}/decline`).set(bearer(asker.apiKey)).expect(403);
    const declined = await harness.http.post(`/v1/consolidations/${asked.body.id}/decline`).set(bearer(named.apiKey)).expect(200);
    expect(declined.body).toMatchObject({ status: 'declined', statusReason: 'The partner named declined to be absorbed' });
    const again = await harness.http.post(`/v1/consolidations/${asked.body.id}/consent`).set(bearer(named.apiKey)).expect(409);
    expect(again.body.code).toBe('consolidation_not_awaiting_consent');
    const declinedRun = harness.app.get(TemporalService).client.workflow.getHandle(asked.body.workflowId);
    await declinedRun.result();
    await maybeRecordHistory(declinedRun, 'consolidation-declined');
    await request(rightful, named).expect(202);

    for (const other of others) await consolidationOf((await request(asker, other).expect(202)).body.id, 'awaiting_consent');
    const capped = await request(asker, rightful).expect(409);
    expect(capped.body.code).toBe('too_many_open_consolidations');
  });

  it("stops the absorbed partner's verification in progress and voids its open invoice", async () => {
    const survivor = await enrollActivePartner(harness, harness.reviewerKey);
    const absorbed = await enrollActivePartner(harness, harness.reviewerKey);
    await harness.http
      .post(`/v1/partners/${absorbed.partnerId}/competencies`)
      .set(bearer(absorbed.apiKey))
      .send({ code: 'security' })
      .expect(202);
    await harness.http.post(`/v1/partners/${absorbed.partnerId}/benefits/action-pack/purchases`).set(bearer(absorbed.apiKey)).expect(202);
    const invoice = await eventually(() => harness.prisma.invoice.findFirst({ where: { partnerId: absorbed.partnerId, status: 'open' } }));
    const verification = partnerCompetencyId(absorbed.partnerId, 'security');
    await eventually(
      async () => (await harness.prisma.partnerCompetency.findUnique({ where: { id: verification } }))?.status === 'awaiting-evidence',
    );

    const { id } = (await request(survivor, absorbed).expect(202)).body;
    await consolidationOf(id, 'awaiting_consent');
    await harness.http.post(`/v1/consolidations/${id}/consent`).set(bearer(absorbed.apiKey)).expect(200);
    await decide(await consolidationReview(id), 'approve');
    await consolidationOf(id, 'completed');

    expect(await harness.prisma.partnerCompetency.findUniqueOrThrow({ where: { id: verification } })).toMatchObject({
      status: 'consolidated',
    });
    await eventually(async () => (await harness.prisma.invoice.findUnique({ where: { id: invoice.id } }))?.status === 'void');
    const client = harness.app.get(TemporalService).client;
    for (const workflowId of [`competency-${absorbed.partnerId}-security`, invoice.workflowId]) {
      await eventually(async () => (await client.workflow.getHandle(workflowId).describe()).status.name === 'CANCELLED');
    }
  });
});
