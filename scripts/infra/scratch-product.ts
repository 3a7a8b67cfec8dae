import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../../lib/paths';
import { freePort, waitFor } from './ports';

export interface ScratchProduct {
  /** The API's base URL, http://127.0.0.1:<port>. */
  api: string;
  apiPort: number;
  adminKey: string;
  dataDir: string;
  process: ChildProcess;
  /** Settles when the product exits: its exit code, or 128 + n for a signal. */
  exited: Promise<number>;
  /** SIGTERM, then SIGKILL after a minute; removes the data folder. */
  stop(): Promise<void>;
}

/**
 * `npm start` as a user runs it (dist/scripts/run-product.js, embedded Postgres, Temporal dev
 * server, mail capture, worker and API), on a scratch data folder and free ports, ready when its
 * health answers 200. Tools (the fuzz, the fault drivers) and the product tests start it this way.
 */
export async function startScratchProduct(
  options: { env?: NodeJS.ProcessEnv; output?: (text: string) => void; readyTimeoutMs?: number } = {},
): Promise<ScratchProduct> {
  const dataDir = mkdtempSync(join(tmpdir(), 'partner-product-'));
  // Embedded Postgres runs its server as its own user, which must reach its data folder in here.
  chmodSync(dataDir, 0o755);
  const [apiPort, postgresPort, temporalPort, temporalUiPort, mailSmtpPort, mailInboxPort] = await Promise.all(
    Array.from({ length: 6 }, () => freePort()),
  );
  const adminKey = `scratch-admin-${randomBytes(24).toString('hex')}`;
  const child = spawn(process.execPath, ['--enable-source-maps', join(repoRoot(), 'dist/scripts/run-product.js')], {
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: String(apiPort),
      POSTGRES_PORT: String(postgresPort),
      TEMPORAL_PORT: String(temporalPort),
      TEMPORAL_UI_PORT: String(temporalUiPort),
      MAIL_SMTP_PORT: String(mailSmtpPort),
      MAIL_INBOX_PORT: String(mailInboxPort),
      ADMIN_API_KEY: adminKey,
      PAYMENT_WEBHOOK_SECRET: randomBytes(32).toString('hex'),
      WEBHOOK_SIGNING_KEY: randomBytes(32).toString('hex'),
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout, child.stderr]) {
    stream?.setEncoding('utf8');
    stream?.on('data', (text: string) => options.output?.(text));
  }
  const exited = new Promise<number>((done) => child.once('exit', (code, signal) => done(code ?? (signal ? 128 : 1))));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      await exited;
      clearTimeout(killer);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  const api = `http://127.0.0.1:${apiPort}`;
  const exitedEarly = exited.then((code) => {
    throw new Error(`the product exited with code ${code} before it was ready`);
  });
  // Once the product is ready, its exit is the caller's business, not a rejection nobody awaits.
  exitedEarly.catch(() => undefined);
  try {
    await Promise.race([
      exitedEarly,
      waitFor(
        'the product',
        async () => {
          const health = await fetch(`${api}/health`);
          if (health.status !== 200) throw new Error(`health answered ${health.status}`);
        },
        options.readyTimeoutMs ?? 240_000,
      ),
    ]);
  } catch (error) {
    await stop();
    throw error;
  }
  return { api, apiPort, adminKey, dataDir, process: child, exited, stop };
}
