import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import type { Browser, Page } from 'playwright-core';
import type { ActivityDeps } from '../../activities';
import { SmtpMailer } from '../../activities/mailer';
import { renderSurveyPage } from '../../apps/api/src/surveys/survey-page';
import { type RunningMailCapture, startMailCapture } from '../../scripts/infra/mail-capture';
import { freePort } from '../../scripts/infra/ports';
import { bearer, type Enrolled, enrollActivePartner, useApiHarness } from '../support/api';
import { launchChromium } from '../support/browser';
import { eventually } from '../support/fixtures';
import { surveyLinkIn } from '../support/surveys';

/** Every line the API would have logged (pino JSON at info), to show no token is among them. */
const logLines: string[] = [];
const logs = new Writable({
  write(chunk: Buffer, _encoding, done) {
    logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  },
});

describe('the survey page in headless Chromium: from the mail to the Customer Satisfaction Index', () => {
  let capture: RunningMailCapture;
  let smtp: SmtpMailer;
  let browser: Browser;
  let publicUrl: string;
  // Filled in by `prepare`, before the worker starts: it links to where the API will listen.
  const workerDeps: Partial<ActivityDeps> = { mailer: { send: (message) => smtp.send(message) } };
  const harness = useApiHarness({
    prepare: async () => {
      const [smtpPort, webPort, apiPort] = await Promise.all([freePort(), freePort(), freePort()]);
      capture = await startMailCapture({ smtpPort, webPort });
      smtp = new SmtpMailer(capture.smtpUrl, 'Partner Program <program@test.example>');
      publicUrl = `http://127.0.0.1:${apiPort}`;
      workerDeps.publicUrl = publicUrl;
      return {};
    },
    workerDeps,
    logs,
  });
  let questions: Array<{ code: string; text: string }>;
  let partner: Enrolled;

  beforeAll(async () => {
    await harness.app.listen(Number(new URL(publicUrl).port), '127.0.0.1');
    browser = await launchChromium();
    const catalog = await harness.http.get('/v1/catalog').expect(200);
    questions = catalog.body.rules.customerSatisfaction.questions;
    partner = await enrollActivePartner(harness, harness.reviewerKey);
  });

  afterAll(async () => {
    await browser?.close();
    smtp?.close();
    await capture?.stop();
  });

  /** The partner invites a customer; answers the link and token of the mail the customer received. */
  async function invite(customerEmail: string): Promise<{ link: string; token: string; subject: string }> {
    await harness.http
      .post(`/v1/partners/${partner.partnerId}/surveys`)
      .set(bearer(partner.apiKey))
      .send({ customerName: 'Bea Buyer', customerEmail })
      .expect(202);
    const mail = await eventually(async () => capture.messages().find((message) => message.to.includes(customerEmail)));
    return { ...surveyLinkIn(mail.text), subject: mail.subject };
  }

  /**
   * A page that records every script error and console error (a Content-Security-Policy violation is
   * one), but the network line Chromium prints for an answer's 4xx, which the page expects.
   */
  async function open(link: string): Promise<{ page: Page; problems: string[] }> {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error' && !/^Failed to load resource: the server responded with a status of 4\d\d/.test(message.text())) {
        problems.push(message.text());
      }
    });
    await page.goto(link);
    return { page, problems };
  }

  async function answer(page: Page, scores: number[], comment?: string): Promise<void> {
    for (const [position, question] of questions.entries()) {
      await page
        .getByRole('group', { name: question.text })
        .getByRole('radio', { name: String(scores[position]), exact: true })
        .check();
    }
    if (comment) await page.getByLabel('Anything else you would like to tell us? (optional)').fill(comment);
    await page.getByRole('button', { name: 'Send my answer' }).click();
  }

  const satisfaction = async () =>
    (await harness.http.get(`/v1/partners/${partner.partnerId}/satisfaction`).set(bearer(partner.apiKey)).expect(200)).body;

  it('takes the answer from the mailed link, says thanks, and the index counts it; a second visit finds it answered', async () => {
    const tag = randomUUID().slice(0, 8);
    // Four customers answered before, through the API: one answer short of the catalog's minimum for an index.
    for (const n of [1, 2, 3, 4]) {
      const { token } = await invite(`earlier${n}@${tag}-customer${n}.example`);
      await harness.http
        .post('/v1/surveys/responses')
        .send({ token, scores: [5, 5, 5, 5] })
        .expect(200);
    }
    expect(await satisfaction()).toMatchObject({ responses: 4, index: null });

    const customerEmail = `bea@${tag}-northwind.example`;
    const { link, subject } = await invite(customerEmail);
    const { legalName } = await harness.prisma.partner.findUniqueOrThrow({ where: { id: partner.partnerId } });
    expect(subject).toBe(`How satisfied are you with ${legalName}?`);
    expect(link.startsWith(`${publicUrl}/survey#token=`)).toBe(true);

    const { page, problems } = await open(link);
    await expect(page.getByRole('heading', { name: 'How satisfied are you with your partner?' }).isVisible()).resolves.toBe(true);
    expect(await page.getByRole('group').count()).toBe(questions.length);
    await answer(page, [4, 3, 4, 5], 'Quick & <careful> work.');
    await page.getByRole('heading', { name: 'Thank you!' }).waitFor();
    // The token leaves the address bar and the history once the survey is done.
    expect(page.url()).toBe(`${publicUrl}/survey`);
    expect(problems).toEqual([]);
    await page.close();

    // 4 × (5, 5, 5, 5) and (4, 3, 4, 5): mean 4.8 on a 1-to-5 scale, CSI round(100 × 3.8 / 4) = 95.
    const after = await satisfaction();
    expect(after).toMatchObject({ responses: 5, index: 95 });
    expect(after.perQuestion.map((question: { average: number }) => question.average)).toEqual([4.8, 4.6, 4.8, 5]);
    expect(after.invitations[0]).toMatchObject({ customerEmail, status: 'answered' });
    const stored = await harness.prisma.surveyInvitation.findFirstOrThrow({ where: { customerEmail } });
    expect(stored).toMatchObject({ scores: [4, 3, 4, 5], comment: 'Quick & <careful> work.' });

    // The same link again: the form shows, and sending it says the survey was already answered.
    const again = await open(link);
    await answer(again.page, [1, 1, 1, 1]);
    await again.page.getByRole('heading', { name: 'This survey is closed' }).waitFor();
    expect(await again.page.locator('#closed-reason').textContent()).toBe('This survey was already answered.');
    expect(again.problems).toEqual([]);
    await again.page.close();
    expect(await satisfaction()).toMatchObject({ responses: 5, index: 95 });
  });

  it('says an expired link has expired, and a link without a valid token does not work', async () => {
    const customerEmail = `late@${randomUUID().slice(0, 8)}-customer.example`;
    const { link } = await invite(customerEmail);
    // What a worker that was down at the deadline leaves: the link's time is up, its timer has not fired yet.
    await eventually(() => harness.prisma.surveyInvitation.findFirst({ where: { customerEmail, status: 'sent' } }));
    await harness.prisma.surveyInvitation.updateMany({ where: { customerEmail }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const expired = await open(link);
    await answer(expired.page, [5, 5, 5, 5]);
    await expired.page.getByRole('heading', { name: 'This survey is closed' }).waitFor();
    expect(await expired.page.locator('#closed-reason').textContent()).toBe('This survey has expired.');
    await expired.page.close();
    expect(await harness.prisma.surveyInvitation.findFirstOrThrow({ where: { customerEmail } })).toMatchObject({
      status: 'sent',
      scores: [],
    });

    // No token at all, and a well-formed one no invitation has: the page says the link does not work.
    const bare = await open(`${publicUrl}/survey`);
    await bare.page.getByRole('heading', { name: 'This link does not work' }).waitFor();
    expect(await bare.page.getByRole('button', { name: 'Send my answer' }).isVisible()).toBe(false);
    await bare.page.close();
    const unknown = await open(`${publicUrl}/survey#token=${'x'.repeat(32)}`);
    await answer(unknown.page, [3, 3, 3, 3]);
    await unknown.page.getByRole('heading', { name: 'This link does not work' }).waitFor();
    expect(unknown.problems).toEqual([]);
    await unknown.page.close();
  });

  it('serves the page under a strict Content-Security-Policy, with no token in any request line or log', async () => {
    const page = await harness.http.get('/survey').expect(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    const policy = page.headers['content-security-policy'] as string;
    expect(policy.split('; ')).toEqual([
      "default-src 'none'",
      expect.stringMatching(/^script-src 'sha256-[A-Za-z0-9+/=]+'$/),
      expect.stringMatching(/^style-src 'sha256-[A-Za-z0-9+/=]+'$/),
      "connect-src 'self'",
      "form-action 'none'",
      "base-uri 'none'",
      "frame-ancestors 'none'",
    ]);
    expect(page.headers).toMatchObject({ 'referrer-policy': 'no-referrer', 'x-frame-options': 'DENY', 'cache-control': 'no-store' });
    // A page for people, like /docs: not an operation of the JSON API's document.
    expect(Object.keys((await harness.http.get('/docs-json').expect(200)).body.paths)).not.toContain('/survey');

    // Every token mailed in this suite was used in the browser or by the API; none is in the log.
    const invitations = capture.messages().filter((mail) => mail.subject.startsWith('How satisfied are you with'));
    const tokens = invitations.map((mail) => surveyLinkIn(mail.text).token);
    expect(tokens.length).toBeGreaterThanOrEqual(6);
    const requests = logLines.map((line) => JSON.parse(line) as { req?: { method: string; url: string } });
    expect(requests.map((line) => line.req && `${line.req.method} ${line.req.url}`)).toEqual(
      expect.arrayContaining(['GET /survey', 'POST /v1/surveys/responses']),
    );
    expect(logLines.filter((line) => tokens.some((token) => line.includes(token)))).toEqual([]);
  });

  it('escapes every catalog text it writes into the page', () => {
    const html = renderSurveyPage({ scale: 3, questions: [{ code: 'a"b', text: '<img src=x onerror=alert(1)> & "quoted"' }] });
    expect(html).toContain('<legend>&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quoted&quot;</legend>');
    expect(html).toContain('data-question="a&quot;b"');
    expect(html).not.toContain('<img');
    expect(html.match(/type="radio"/g)).toHaveLength(3);
  });
});
