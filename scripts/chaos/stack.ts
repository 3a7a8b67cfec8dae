import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCatalogDocuments, seedCatalog } from '../../prisma/seed';
import { createPrismaClient, type PrismaClient } from '../../lib/database';
import { repoRoot } from '../../lib/paths';
import { migrateAndSeed } from '../infra/database';
import { freePort, waitFor } from '../infra/ports';
import { type RunningPostgres, startEmbeddedPostgres } from '../infra/postgres';
import { type RunningTemporal, startTemporalDevServer } from '../infra/temporal';

/** The catalog the journeys run under: Certified and Gold ask for their fee only, so a journey is about processes, not points. */
export const CHAOS_CATALOG_ID = 'chaos-fees-only';

export interface ChaosStack {
  api: string;
  adminKey: string;
  webhookSecret: string;
  termsVersion: string;
  /** What the API and the workers last wrote to stderr. */
  lastErrors: string[];
  /** A client of the stack's database for the final checks (and only them). */
  prisma(): PrismaClient;
  killWorker(): void;
  crashTemporal(): Promise<void>;
  crashPostgres(): Promise<void>;
  stop(): Promise<void>;
}

type Log = (line: string) => void;

/**
 * The product's own parts, each started by its own script so each can be killed alone: embedded
 * Postgres and the Temporal dev server on persistent stores in a scratch folder, the API, and a
 * worker that is started again whenever it exits.
 */
export async function startChaosStack(options: { temporalCli: string; log: Log }): Promise<ChaosStack> {
  const { log } = options;
  const dir = mkdtempSync(join(tmpdir(), 'partner-chaos-'));
  // Embedded Postgres runs as its own user when started as root: it must reach its folder.
  chmodSync(dir, 0o755);
  const [postgresPort, temporalPort, apiPort] = await Promise.all([freePort(), freePort(), freePort()]);
  const startPostgres = () =>
    startEmbeddedPostgres({ dir: join(dir, 'postgres'), port: postgresPort, database: 'partner_program', persistent: true });
  const startTemporal = () =>
    startTemporalDevServer({ binary: options.temporalCli, port: temporalPort, uiPort: null, dbFile: join(dir, 'temporal.db') });

  let postgres: RunningPostgres = await startPostgres();
  let temporal: RunningTemporal = await startTemporal();
  await migrateAndSeed(postgres.databaseUrl);
  const catalog = structuredClone(readCatalogDocuments().at(-1)!);
  catalog.id = CHAOS_CATALOG_ID;
  catalog.effectiveFrom = new Date(Date.now() - 1000).toISOString();
  for (const level of catalog.levels) Object.assign(level, { minPoints: 0, minCompetencies: 0 });
  const seeding = createPrismaClient(postgres.databaseUrl, 1);
  await seedCatalog(seeding, [catalog]).finally(() => seeding.$disconnect());

  const lastErrors: string[] = [];
  const adminKey = `chaos-admin-${randomBytes(24).toString('hex')}`;
  const webhookSecret = randomBytes(32).toString('hex');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: postgres.databaseUrl,
    TEMPORAL_ADDRESS: temporal.address,
    DATA_DIR: dir,
    PORT: String(apiPort),
    ADMIN_API_KEY: adminKey,
    PAYMENT_WEBHOOK_SECRET: webhookSecret,
    WEBHOOK_SIGNING_KEY: randomBytes(32).toString('hex'),
    RATE_LIMIT_PER_MINUTE: '1000000',
    PUBLIC_RATE_LIMIT_PER_MINUTE: '100000',
    LOG_LEVEL: 'warn',
  };
  const node = (script: string) => {
    const child = spawn(process.execPath, ['--enable-source-maps', join(repoRoot(), 'dist', script)], {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    // Read, so a chatty process never blocks on a full pipe; the last lines are kept for the report.
    child.stderr!.setEncoding('utf8').on('data', (text: string) => {
      lastErrors.push(
        ...text
          .trimEnd()
          .split('\n')
          .map((line) => `${script}: ${line}`),
      );
      lastErrors.splice(0, Math.max(0, lastErrors.length - 40));
    });
    return child;
  };

  const api = node('apps/api/src/main.js');
  let worker: ChildProcess | undefined;
  let stopping = false;
  let workerStarts = 0;
  const startWorker = () => {
    const child = node('apps/worker/src/main.js');
    workerStarts += 1;
    worker = child;
    child.once('exit', (code, signal) => {
      if (stopping) return;
      log(`worker pid ${child.pid} exited (${signal ?? `code ${code}`}); starting worker #${workerStarts + 1}`);
      setTimeout(() => !stopping && startWorker(), 250);
    });
  };
  startWorker();
  const base = `http://127.0.0.1:${apiPort}`;
  try {
    await waitFor(
      'the chaos API',
      async () => {
        if (api.exitCode !== null) throw new Error(`the API exited with code ${api.exitCode}:\n${lastErrors.join('\n')}`);
        const health = await fetch(`${base}/health`);
        if (health.status !== 200) throw new Error(`health answered ${health.status}`);
      },
      120_000,
    );
  } catch (error) {
    stopping = true;
    for (const child of [api, worker]) child?.kill('SIGKILL');
    await temporal.stop();
    await postgres.stop();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }

  let prisma: PrismaClient | undefined;
  const exit = (child: ChildProcess | undefined) =>
    child && child.exitCode === null && child.signalCode === null
      ? new Promise<void>((resolve) => {
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        })
      : Promise.resolve();
  return {
    api: base,
    adminKey,
    webhookSecret,
    termsVersion: catalog.rules.programTerms!.version,
    lastErrors,
    prisma: () => (prisma ??= createPrismaClient(postgres.databaseUrl, 2)),
    killWorker: () => {
      log(`worker pid ${worker?.pid} killed (SIGKILL)`);
      worker?.kill('SIGKILL');
    },
    crashTemporal: async () => {
      log('Temporal dev server killed (SIGKILL)');
      await temporal.crash();
      temporal = await startTemporal();
      log('Temporal dev server restarted on its store');
    },
    crashPostgres: async () => {
      log('Postgres shut down immediately (SIGQUIT)');
      await postgres.crash();
      postgres = await startPostgres();
      log('Postgres restarted; it recovered from its WAL');
    },
    stop: async () => {
      stopping = true;
      await prisma?.$disconnect();
      await Promise.all([exit(worker), exit(api)]);
      await temporal.stop();
      await postgres.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
