import { randomUUID } from 'node:crypto';
import { TemporalService } from '../../apps/api/src/temporal/temporal.module';
import { ensureCatalogRollouts } from '../../apps/worker/src/catalog-rollouts';
import { catalogRolloutWorkflowId } from '../../workflows/catalog/definitions';
import { membershipWorkflowId } from '../../workflows/renewals/definitions';
import type { membershipWorkflow } from '../../workflows/renewals/workflow';
import { bearer, enrollActivePartner, useApiHarness } from '../support/api';
import { createActivePartner, eventually } from '../support/fixtures';
import { maybeRecordHistory } from '../support/histories';
import { createIsolatedDatabase, publishCatalogVariant } from '../support/isolated-database';
import { readCatalogDocuments } from '../../prisma/seed';

/** The newest published version, in force before the test publishes its own. */
const IN_FORCE = readCatalogDocuments().at(-1)!.id;

const TERM_MINUTES = 30;
/** A schedule "day" of a thirty-minute term. */
const SCALED_DAY_MS = (TERM_MINUTES * 60_000) / 365;

describe('renewals through the API: the admin list, bulk actions and early renewal', () => {
  const harness = useApiHarness({ workerDeps: { membershipTermMinutes: TERM_MINUTES } });

  /** A Registered partner whose membership term started `daysAgo` schedule days ago. */
  async function memberSince(daysAgo: number): Promise<{ partnerId: string; termEnd: Date }> {
    const partnerId = await createActivePartner(harness.prisma, '2026.1');
    const termStart = new Date(Date.now() - daysAgo * SCALED_DAY_MS);
    await harness.app.get(TemporalService).client.workflow.start<typeof membershipWorkflow>('membershipWorkflow', {
      workflowId: membershipWorkflowId(partnerId),
      taskQueue: harness.worker.taskQueue,
      args: [{ partnerId, termNumber: 1, level: 'registered', termStart: termStart.toISOString() }],
    });
    const row = await eventually(() => harness.prisma.membership.findUnique({ where: { partnerId } }));
    return { partnerId, termEnd: row.termEnd };
  }

  it('lists renewals by term end, reminds and refuses per item, and renews early from the end date', async () => {
    // In the window (it opens 90 days before the end), 20 days before the decision; and a new member.
    const inWindow = await memberSince(365 - 80);
    const newMember = await memberSince(0);
    await eventually(
      async () => (await harness.prisma.membership.findUnique({ where: { partnerId: inWindow.partnerId } }))?.status === 'renewal_open',
    );

    const range = `from=${new Date(inWindow.termEnd.getTime() - 1000).toISOString()}&to=${new Date(newMember.termEnd.getTime() + 1000).toISOString()}`;
    const first = await harness.http.get(`/v1/renewals?${range}&limit=1`).set(bearer(harness.reviewerKey)).expect(200);
    expect(first.body.items).toEqual([expect.objectContaining({ partnerId: inWindow.partnerId, status: 'renewal_open', termNumber: 1 })]);
    expect(first.body.items[0].legalName).toMatch(/^Partner /);
    const second = await harness.http
      .get(`/v1/renewals?${range}&limit=1&cursor=${first.body.nextCursor}`)
      .set(bearer(harness.reviewerKey))
      .expect(200);
    expect(second.body).toEqual({
      items: [expect.objectContaining({ partnerId: newMember.partnerId, status: 'active' })],
      nextCursor: null,
    });
    const open = await harness.http.get(`/v1/renewals?${range}&status=renewal_open`).set(bearer(harness.reviewerKey)).expect(200);
    expect(open.body.items.map((item: { partnerId: string }) => item.partnerId)).toEqual([inWindow.partnerId]);
    await harness.http.get('/v1/renewals?status=sleeping').set(bearer(harness.reviewerKey)).expect(400);
    await harness.http.get('/v1/renewals?cursor=bm9wZQ').set(bearer(harness.reviewerKey)).expect(422);

    const unknown = randomUUID();
    const reminded = await harness.http
      .post('/v1/renewals/bulk')
      .set(bearer(harness.adminKey))
      .send({ action: 'remind', partnerIds: [inWindow.partnerId, newMember.partnerId, unknown] })
      .expect(200);
    expect(reminded.body).toEqual({
      results: [
        { partnerId: inWindow.partnerId, outcome: 'done', status: 'renewal_open' },
        expect.objectContaining({ partnerId: newMember.partnerId, outcome: 'refused', code: 'renewal_not_open' }),
        expect.objectContaining({ partnerId: unknown, outcome: 'not_found' }),
      ],
      summary: { done: 1, refused: 1, not_found: 1 },
    });
    expect(await harness.prisma.notification.count({ where: { partnerId: inWindow.partnerId, kind: 'renewal-reminder' } })).toBe(1);
    const noReason = await harness.http
      .post('/v1/renewals/bulk')
      .set(bearer(harness.adminKey))
      .send({ action: 'grant_exception', partnerIds: [inWindow.partnerId] })
      .expect(400);
    expect(noReason.body.fields).toEqual([expect.objectContaining({ field: 'reason', code: 'reason_required' })]);
    await harness.http
      .post('/v1/renewals/bulk')
      .set(bearer(harness.reviewerKey))
      .send({ action: 'remind', partnerIds: [unknown] })
      .expect(403);

    // Registered pays no fee: renewing early re-qualifies and moves on to the next term, which starts at the current end.
    expect(
      (await harness.http.post(`/v1/partners/${newMember.partnerId}/renewal`).set(bearer(harness.adminKey)).expect(409)).body.code,
    ).toBe('renewal_not_open');
    await harness.http.post(`/v1/partners/${inWindow.partnerId}/renewal`).set(bearer(harness.adminKey)).expect(200);
    const renewed = await eventually(async () => {
      const view = (await harness.http.get(`/v1/partners/${inWindow.partnerId}`).set(bearer(harness.adminKey)).expect(200)).body;
      return view.membership?.termNumber === 2 && view.membership;
    });
    expect(renewed).toMatchObject({ termStart: inWindow.termEnd.toISOString(), level: 'registered', status: 'active' });
  });

  describe('with one-minute terms, as a demo would configure them', () => {
    const demo = useApiHarness({ workerDeps: { membershipTermMinutes: 1 } });

    it('renews a membership on its own and shows the new term on the partner', async () => {
      const partner = await enrollActivePartner(demo, demo.reviewerKey);
      const first = await eventually(async () => {
        const view = (await demo.http.get(`/v1/partners/${partner.partnerId}`).set(bearer(partner.apiKey)).expect(200)).body;
        return view.membership && view.membership;
      });
      expect(first).toMatchObject({ termNumber: 1, level: 'registered' });
      expect(Date.parse(first.termEnd) - Date.parse(first.termStart)).toBe(60_000);
      const second = await eventually(async () => {
        const view = (await demo.http.get(`/v1/partners/${partner.partnerId}`).set(bearer(partner.apiKey)).expect(200)).body;
        return view.membership?.termNumber === 2 && view.membership;
      }, 90_000);
      expect(second.termStart).toBe(first.termEnd);
    }, 120_000);
  });
});

describe('a new catalog version reaches every open membership', () => {
  let databaseUrl: string;
  const harness = useApiHarness({
    prepare: async () => {
      databaseUrl = await createIsolatedDatabase();
      return { DATABASE_URL: databaseUrl };
    },
    workerDeps: { membershipTermMinutes: TERM_MINUTES },
  });

  it('tells each open membership once, through a rollout workflow, and their next renewal is decided under it', async () => {
    const client = harness.app.get(TemporalService).client;
    const partnerIds: string[] = [];
    for (let n = 0; n < 3; n++) {
      const partnerId = await createActivePartner(harness.prisma, IN_FORCE);
      await client.workflow.start<typeof membershipWorkflow>('membershipWorkflow', {
        workflowId: membershipWorkflowId(partnerId),
        taskQueue: harness.worker.taskQueue,
        args: [{ partnerId, termNumber: 1, level: 'registered' }],
      });
      partnerIds.push(partnerId);
    }
    await eventually(
      async () => (await harness.prisma.membership.count({ where: { partnerId: { in: partnerIds }, catalogVersionId: IN_FORCE } })) === 3,
    );

    // A later version, in force from now: the renewal window opens 120 days before the end instead of 90.
    await publishCatalogVariant(databaseUrl, 'test-rollout', (doc) => {
      doc.rules.renewalWindowOpensDaysBefore = 120;
    });
    expect(await ensureCatalogRollouts(client, harness.prisma, harness.worker.taskQueue)).toEqual(['test-rollout']);
    expect(await ensureCatalogRollouts(client, harness.prisma, harness.worker.taskQueue)).toEqual([]);
    const rolloutHandle = client.workflow.getHandle(catalogRolloutWorkflowId('test-rollout'));
    const rollout = await rolloutHandle.result();
    await maybeRecordHistory(rolloutHandle, 'catalog-rollout');
    expect(rollout).toEqual({ catalogVersionId: 'test-rollout', told: 3 });
    await eventually(
      async () =>
        (await harness.prisma.membership.count({ where: { partnerId: { in: partnerIds }, catalogVersionId: 'test-rollout' } })) === 3,
    );
    for (const partnerId of partnerIds) {
      const history = await client.workflow.getHandle(membershipWorkflowId(partnerId)).fetchHistory();
      const signals = (history.events ?? []).flatMap((event) => event.workflowExecutionSignaledEventAttributes?.signalName ?? []);
      expect(signals).toEqual(['membershipCatalogChanged']);
    }
  });
});
