import { randomUUID } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities } from '../../activities';
import { systemClock } from '../../lib/clock';
import { bearer, useApiHarness } from '../support/api';
import { eventually, RecordingMailer, RecordingPaymentProvider } from '../support/fixtures';
import { memberAt } from '../support/members';
import { parseSvg } from '../support/svg';

describe('the partner logo: a public, embeddable badge of the level', () => {
  const harness = useApiHarness();
  const logo = (partnerId: string) => harness.http.get(`/v1/partners/${partnerId}/logo.svg`);

  /** The next membership term, begun now at `level`, by the membership's own activities (a renewal at another level). */
  async function renewAt(partnerId: string, termNumber: number, level: 'certified' | 'registered') {
    const activities = createActivities({
      prisma: harness.prisma,
      clock: systemClock,
      mailer: new RecordingMailer(),
      payments: new RecordingPaymentProvider(),
    });
    const env = new MockActivityEnvironment();
    const now = new Date().toISOString();
    const term = { partnerId, termNumber, level, asOf: now };
    await env.run(activities.openMembershipTerm, { ...term, workflowId: `membership-${partnerId}`, termStart: now });
    await env.run(activities.startMembershipTerm, { ...term, nextMilestone: null });
  }

  it("serves a Gold partner's badge to anyone as SVG, with its name, level, competency and term, and 304 for its ETag", async () => {
    const partnerId = await memberAt(harness.prisma, 'gold');
    const partner = await harness.prisma.partner.findUniqueOrThrow({ where: { id: partnerId } });
    const membership = await harness.prisma.membership.findUniqueOrThrow({ where: { partnerId } });

    const answer = await logo(partnerId).buffer(true).expect(200);
    expect(answer.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
    expect(answer.headers).toMatchObject({
      'cross-origin-resource-policy': 'cross-origin',
      'x-content-type-options': 'nosniff',
      'cache-control': 'public, max-age=300',
    });
    expect(answer.headers['content-security-policy']).toContain("default-src 'none'");
    const svg = parseSvg(answer.body.toString('utf8'));
    expect(svg.texts).toEqual([
      'Gold Certified Partner',
      partner.legalName,
      'Security Solutions',
      `Valid until ${membership.termEnd.toISOString().slice(0, 10)}`,
    ]);

    const etag = answer.headers.etag as string;
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    const unchanged = await logo(partnerId).set('If-None-Match', etag).expect(304);
    expect(unchanged.text ?? '').toBe('');
    // A key, even a partner's own or a wrong one, changes nothing: the route is public.
    await logo(partnerId).set(bearer('not-a-key')).expect(200);
  });

  it('changes when the level does, and goes away when the level gives no logo', async () => {
    const partnerId = await memberAt(harness.prisma, 'gold');
    const gold = await logo(partnerId).buffer(true).expect(200);

    await renewAt(partnerId, 2, 'certified');
    const certified = await logo(partnerId)
      .set('If-None-Match', gold.headers.etag as string)
      .buffer(true)
      .expect(200);
    expect(certified.headers.etag).not.toBe(gold.headers.etag);
    expect(parseSvg(certified.body.toString('utf8')).texts[0]).toBe('Certified Partner');

    await renewAt(partnerId, 3, 'registered');
    const gone = await logo(partnerId).expect(404);
    expect(gone.headers['content-type']).toMatch(/^application\/json/);
    expect(gone.body).toMatchObject({ code: 'not_found' });
  });

  it('answers one 404 for a Registered partner, an unknown id and a withdrawn partner, and 400 for an id that is none', async () => {
    const registered = await memberAt(harness.prisma, 'registered');
    expect((await logo(registered).expect(404)).body.code).toBe('not_found');
    expect((await logo(randomUUID()).expect(404)).body.code).toBe('not_found');
    expect((await logo('contoso').expect(400)).body.code).toBe('validation_failed');

    const leaving = await memberAt(harness.prisma, 'certified');
    await logo(leaving).expect(200);
    await harness.http
      .post(`/v1/partners/${leaving}/withdraw`)
      .set(bearer(harness.adminKey))
      .send({ reason: 'Leaving the channel business' })
      .expect(202);
    await eventually(async () => (await logo(leaving)).status === 404);
  });
});
