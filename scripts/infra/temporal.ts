import { spawn } from 'node:child_process';
import { Connection } from '@temporalio/client';
import { freePort, waitFor } from './ports';

export interface RunningTemporal {
  address: string;
  uiUrl?: string;
  stop(): Promise<void>;
  /** SIGKILL, as a crash would: with a `dbFile`, a new server on it resumes every workflow. */
  crash(): Promise<void>;
}

export interface TemporalDevServerOptions {
  binary: string;
  port: number;
  /** null runs headless (tests). */
  uiPort: number | null;
  /** SQLite file; omitted keeps everything in memory (tests). */
  dbFile?: string;
  log?: (line: string) => void;
}

/** Runs `temporal server start-dev` and resolves once its frontend answers health checks. */
export async function startTemporalDevServer(options: TemporalDevServerOptions): Promise<RunningTemporal> {
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(options.port), '--log-level', 'warn'];
  args.push('--http-port', String(await freePort()), '--metrics-port', String(await freePort()));
  if (options.uiPort === null) args.push('--headless');
  else args.push('--ui-port', String(options.uiPort));
  if (options.dbFile) args.push('--db-filename', options.dbFile);

  const child = spawn(options.binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let earlyExit: string | undefined;
  void exited.then((code) => {
    earlyExit = `temporal dev server exited with code ${code}`;
  });
  for (const stream of [child.stdout, child.stderr]) {
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => options.log?.(chunk.trimEnd()));
  }

  const address = `127.0.0.1:${options.port}`;
  try {
    await waitFor(
      'Temporal dev server',
      async () => {
        if (earlyExit) throw new Error(earlyExit);
        const connection = await Connection.connect({ address, connectTimeout: 1000 });
        try {
          await connection.workflowService.describeNamespace({ namespace: 'default' });
        } finally {
          await connection.close();
        }
      },
      60_000,
    );
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }

  return {
    address,
    uiUrl: options.uiPort === null ? undefined : `http://localhost:${options.uiPort}`,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
    crash: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
