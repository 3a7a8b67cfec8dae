import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadSupervisionConfig } from '../lib/config';
import { repoRoot } from '../lib/paths';
import { migrateAndSeed } from './infra/database';
import { type RunningMailCapture, startMailCapture } from './infra/mail-capture';
import { waitFor } from './infra/ports';
import { PRODUCT_DATABASE, type RunningPostgres, startEmbeddedPostgres } from './infra/postgres';
import { secretFromEnvOrFile } from './infra/secrets';
import { DEFAULT_BACKOFF, type Supervised, supervise } from './infra/supervisor';
import { type RunningTemporal, startTemporalDevServer } from './infra/temporal';

const root = repoRoot();
const env = process.env;
const dataDir = resolve(root, env.DATA_DIR ?? '.data');
const port = Number(env.PORT ?? 3000);

const prefixed = (name: string) => (text: string) => {
  for (const line of text.split('\n')) if (line.trim()) process.stdout.write(`[${name}] ${line}\n`);
};

/** Starts a Node app in its own process group so Ctrl-C reaches it only through us, in order. */
function startApp(name: string, script: string, childEnv: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, ['--enable-source-maps', join(root, 'dist', script)], {
    env: childEnv,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.setEncoding('utf8').on('data', prefixed(name));
  child.stderr?.setEncoding('utf8').on('data', prefixed(name));
  return child;
}

async function main(): Promise<void> {
  const startedAt = Date.now();
  mkdirSync(dataDir, { recursive: true });
  const adminKey = secretFromEnvOrFile(env.ADMIN_API_KEY, join(dataDir, 'admin-api-key'));
  const paymentWebhookSecret = secretFromEnvOrFile(env.PAYMENT_WEBHOOK_SECRET, join(dataDir, 'payment-webhook-secret'));
  const webhookSigningKey = secretFromEnvOrFile(env.WEBHOOK_SIGNING_KEY, join(dataDir, 'webhook-signing-key'));

  let postgres: RunningPostgres | undefined;
  let temporal: RunningTemporal | undefined;
  let mailCapture: RunningMailCapture | undefined;
  const apps: Supervised[] = [];
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log('Stopping: API, worker, Temporal, Postgres...');
    await Promise.all(apps.map((app) => app.stop()));
    await temporal?.stop();
    await postgres?.stop();
    await mailCapture?.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  try {
    const supervision = { ...DEFAULT_BACKOFF, ...loadSupervisionConfig(env) };
    let databaseUrl = env.DATABASE_URL;
    if (!databaseUrl) {
      const logFile = join(dataDir, 'postgres.log');
      postgres = await startEmbeddedPostgres({
        dir: join(dataDir, PRODUCT_DATABASE.folder),
        port: Number(env.POSTGRES_PORT ?? PRODUCT_DATABASE.defaultPort),
        database: PRODUCT_DATABASE.database,
        persistent: true,
        log: (line) => appendFileSync(logFile, `${line}\n`),
      });
      databaseUrl = postgres.databaseUrl;
    }
    const { published } = await migrateAndSeed(databaseUrl);
    if (published.length) console.log(`Published program catalog ${published.join(', ')}`);

    let temporalAddress = env.TEMPORAL_ADDRESS;
    if (!temporalAddress) {
      const binary = env.TEMPORAL_CLI_PATH;
      if (!binary) throw new Error('TEMPORAL_CLI_PATH is not set; run through `npm start`');
      temporal = await startTemporalDevServer({
        binary,
        port: Number(env.TEMPORAL_PORT ?? 7233),
        uiPort: Number(env.TEMPORAL_UI_PORT ?? 8233),
        dbFile: join(dataDir, 'temporal.db'),
        log: prefixed('temporal'),
      });
      temporalAddress = temporal.address;
    }

    let smtpUrl = env.SMTP_URL;
    if (!smtpUrl) {
      mailCapture = await startMailCapture({
        smtpPort: Number(env.MAIL_SMTP_PORT ?? 1025),
        webPort: Number(env.MAIL_INBOX_PORT ?? 1080),
        dir: join(dataDir, 'mailbox'),
      });
      smtpUrl = mailCapture.smtpUrl;
    }

    const childEnv = {
      ...env,
      SMTP_URL: smtpUrl,
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: temporalAddress,
      DATA_DIR: dataDir,
      ADMIN_API_KEY: adminKey.value,
      PAYMENT_WEBHOOK_SECRET: paymentWebhookSecret.value,
      WEBHOOK_SIGNING_KEY: webhookSigningKey.value,
      PORT: String(port),
    };
    for (const [name, script] of [
      ['worker', 'apps/worker/src/main.js'],
      ['api', 'apps/api/src/main.js'],
    ] as const) {
      const say = prefixed('supervisor');
      apps.push(
        supervise(
          name,
          () => startApp(name, script, childEnv),
          {
            started: (pid, restart) => say(`${name} ${restart ? `restarted (restart ${restart})` : 'started'}, pid ${pid}`),
            crashed: (exit, restartInMs) => say(`${name} exited unexpectedly (${exit}); restarting in ${restartInMs} ms`),
            gaveUp: (message) => {
              console.error(message);
              void shutdown(1);
            },
          },
          supervision,
        ),
      );
    }

    const apiUrl = `http://localhost:${port}`;
    await waitFor(
      'API',
      async () => {
        const response = await fetch(`${apiUrl}/health`);
        if (!response.ok) throw new Error(`health answered ${response.status}`);
      },
      120_000,
    );

    console.log(`
Partner Program Orchestrator is running (ready in ${((Date.now() - startedAt) / 1000).toFixed(1)} s)
  API          ${apiUrl}
  OpenAPI docs ${apiUrl}/docs  (JSON: ${apiUrl}/docs-json)
  Temporal UI  ${temporal?.uiUrl ?? `(external cluster at ${temporalAddress})`}
  Mail inbox   ${mailCapture?.inboxUrl ?? `(mail goes to the relay in SMTP_URL)`}
  Admin key    ${env.ADMIN_API_KEY ? '(from ADMIN_API_KEY)' : adminKey.generated ? `${adminKey.value}  (generated now and shown once; kept in ${join(dataDir, 'admin-api-key')})` : `kept in ${join(dataDir, 'admin-api-key')}`}
Press Ctrl-C to stop.`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    await shutdown(1);
  }
}

void main();
