import { eventually, sampleApplication } from '../support/fixtures';
import { type ScratchProduct, startScratchProduct } from '../../scripts/infra/scratch-product';

/**
 * `npm start` itself (dist/scripts/run-product.js) on scratch ports: a worker or an API killed
 * with SIGKILL comes back by itself and the work goes on; a crash loop stops the product.
 */
describe('npm start supervises the worker and the API', () => {
  let product: ScratchProduct;
  let output = '';

  beforeAll(async () => {
    product = await startScratchProduct({
      env: { CRASH_LOOP_LIMIT: '3', CRASH_LOOP_WINDOW_SECONDS: '120', LOG_LEVEL: 'info' },
      output: (text) => (output += text),
    });
  }, 240_000);

  afterAll(async () => {
    await product?.stop();
  });

  /** The pid of the latest start of `name` that the supervisor logged, once it differs from `previous`. */
  const pidOf = (name: 'worker' | 'api', previous?: number) =>
    eventually(async () => {
      const starts = [...output.matchAll(new RegExp(`\\[supervisor\\] ${name} (?:started|restarted \\(restart \\d+\\)), pid (\\d+)`, 'g'))];
      const pid = Number(starts.at(-1)?.[1]);
      return pid && pid !== previous ? pid : undefined;
    }, 30_000);

  const call = async (method: string, path: string, key?: string, body?: unknown) => {
    const response = await fetch(`${product.api}${path}`, {
      method,
      headers: { 'Content-Type': 'application/json', ...(key ? { Authorization: `Bearer ${key}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('restarts a killed worker and a killed API, and a pending enrollment then completes; a crash loop stops the product', async () => {
    const reviewer = await call('POST', '/v1/api-keys', product.adminKey, { role: 'reviewer', name: 'Supervision Reviewer' });
    expect(reviewer.status).toBe(201);
    const enrolled = await call('POST', '/v1/enrollments', undefined, sampleApplication());
    expect(enrolled.status).toBe(202);
    const partnerId = String(enrolled.body.partnerId);

    const firstWorker = await pidOf('worker');
    process.kill(firstWorker, 'SIGKILL');
    await pidOf('worker', firstWorker);
    expect(output).toMatch(/\[supervisor\] worker exited unexpectedly \(SIGKILL\); restarting in 500 ms/);

    const firstApi = await pidOf('api');
    process.kill(firstApi, 'SIGKILL');
    await pidOf('api', firstApi);
    await eventually(async () => (await fetch(`${product.api}/health`).catch(() => undefined))?.status === 200, 60_000);

    // The review task was opened by the first worker or the second; the new API serves it either way.
    const reviewerKey = String(reviewer.body.apiKey);
    const task = await eventually(async () => {
      const page = await call('GET', `/v1/reviews?status=pending&kind=enrollment`, reviewerKey);
      return (page.body.items as Array<{ id: string; partnerId: string }> | undefined)?.find((item) => item.partnerId === partnerId);
    }, 60_000);
    // Right after a restart the API may still be connecting to Temporal, and says so with a 503: retry as a client would.
    const decision = await eventually(async () => {
      const answer = await call('POST', `/v1/reviews/${task.id}/decision`, reviewerKey, { decision: 'approve' });
      return answer.status === 503 ? undefined : answer;
    }, 60_000);
    expect(decision.status).toBe(200);
    await eventually(
      async () => (await call('GET', `/v1/partners/${partnerId}`, String(enrolled.body.apiKey))).body.status === 'active',
      60_000,
    );

    // The first kill counts toward the loop: two more within the window stop everything.
    let worker = await pidOf('worker');
    process.kill(worker, 'SIGKILL');
    worker = await pidOf('worker', worker);
    process.kill(worker, 'SIGKILL');
    await expect(product.exited).resolves.toBe(1);
    expect(output).toMatch(/The worker crashed 3 times in 120 s \(last: SIGKILL\); stopping the product\. Its last \d+ lines:\n {2}/);
    expect(output).toContain('Stopping: API, worker, Temporal, Postgres...');
  }, 300_000);
});
