import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleWorkflows } from '../bundle-workflows';
import { migrateAndSeed } from '../infra/database';
import { freePort } from '../infra/ports';
import { startEmbeddedPostgres } from '../infra/postgres';
import { startTemporalDevServer } from '../infra/temporal';

/**
 * One real Postgres and one real Temporal dev server for the whole run, started by the
 * project's own infra code. DATABASE_URL or TEMPORAL_ADDRESS point the tests at existing ones.
 * Test files see the results through the environment they inherit.
 */
export default async function globalSetup(): Promise<void> {
  const scratch = mkdtempSync(join(tmpdir(), 'partner-tests-'));
  chmodSync(scratch, 0o755); // the embedded cluster runs as the `postgres` user when we are root
  const stops: Array<() => Promise<void>> = [];

  if (!process.env.DATABASE_URL) {
    const postgres = await startEmbeddedPostgres({
      dir: join(scratch, 'postgres'),
      port: await freePort(),
      database: 'partner_test',
      persistent: false,
    });
    stops.push(postgres.stop);
    process.env.DATABASE_URL = postgres.databaseUrl;
  }
  await migrateAndSeed(process.env.DATABASE_URL!);

  if (!process.env.TEMPORAL_ADDRESS) {
    const binary = process.env.TEMPORAL_CLI_PATH;
    if (!binary) throw new Error('TEMPORAL_CLI_PATH is not set: run the tests with `npm test`');
    const temporal = await startTemporalDevServer({ binary, port: await freePort(), uiPort: null });
    stops.unshift(temporal.stop);
    process.env.TEMPORAL_ADDRESS = temporal.address;
  }

  const bundlePath = join(scratch, 'workflow-bundle.js');
  await bundleWorkflows(bundlePath);
  process.env.WORKFLOW_BUNDLE_PATH = bundlePath;
  process.env.ADMIN_API_KEY ??= 'test-admin-key-0123456789abcdef';
  process.env.PAYMENT_WEBHOOK_SECRET ??= 'test-payment-webhook-secret-0123456789abcdef';
  process.env.WEBHOOK_SIGNING_KEY ??= 'test-webhook-signing-key-0123456789abcdef';
  // The tests' webhook endpoints listen on 127.0.0.1.
  process.env.WEBHOOK_ALLOW_LOOPBACK_HTTP ??= 'true';
  process.env.LOG_LEVEL ??= 'silent';
  process.env.TEST_SCRATCH_DIR = scratch;

  (globalThis as { stopTestInfra?: () => Promise<void> }).stopTestInfra = async () => {
    for (const stop of stops) await stop();
  };
}
