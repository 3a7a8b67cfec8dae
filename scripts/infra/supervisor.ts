import type { ChildProcess } from 'node:child_process';

export interface SupervisionPolicy {
  /** This many crashes inside `windowMs` is a crash loop: the product stops instead of restarting. */
  crashLimit: number;
  windowMs: number;
  /** The wait before the first restart; it doubles with every crash in the window, up to `maxBackoffMs`. */
  initialBackoffMs: number;
  maxBackoffMs: number;
  /** How many of the process's last output lines the crash-loop message quotes. */
  tailLines: number;
}

/** The back-off and the quoted tail; how many crashes make a loop is configuration (loadSupervisionConfig). */
export const DEFAULT_BACKOFF: Omit<SupervisionPolicy, 'crashLimit' | 'windowMs'> = {
  initialBackoffMs: 500,
  maxBackoffMs: 10_000,
  tailLines: 20,
};

export interface SupervisionEvents {
  started(pid: number | undefined, restart: number): void;
  crashed(exit: string, restartInMs: number): void;
  /** A crash loop: the message names the process, its crashes and its last lines. */
  gaveUp(message: string): void;
}

export interface Supervised {
  /** Stops restarting and ends the running process: SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Runs `start()` and starts it again when it exits on its own, waiting longer after each crash in
 * the window, so a worker or API killed by the OOM killer or a stray SIGKILL comes back by itself
 * while a process that cannot start at all stops the product with its own last words.
 */
export function supervise(name: string, start: () => ChildProcess, events: SupervisionEvents, policy: SupervisionPolicy): Supervised {
  const tail: string[] = [];
  const crashes: number[] = [];
  let child: ChildProcess | undefined;
  let restartTimer: NodeJS.Timeout | undefined;
  let stopped = false;
  let restarts = 0;

  const remember = (chunk: string) => {
    for (const line of chunk.split('\n')) if (line.trim()) tail.push(line);
    tail.splice(0, Math.max(0, tail.length - policy.tailLines));
  };

  const launch = () => {
    restartTimer = undefined;
    child = start();
    child.stdout?.on('data', remember);
    child.stderr?.on('data', remember);
    events.started(child.pid, restarts);
    child.once('exit', (code, signal) => {
      if (stopped) return;
      const now = Date.now();
      crashes.push(now);
      while (crashes.length && crashes[0] <= now - policy.windowMs) crashes.shift();
      const exit = signal ?? `code ${code}`;
      if (crashes.length >= policy.crashLimit) {
        stopped = true;
        events.gaveUp(
          `The ${name} crashed ${crashes.length} times in ${policy.windowMs / 1000} s (last: ${exit}); stopping the product. ` +
            `Its last ${tail.length} lines:\n${tail.map((line) => `  ${line}`).join('\n')}`,
        );
        return;
      }
      const backoff = Math.min(policy.maxBackoffMs, policy.initialBackoffMs * 2 ** (crashes.length - 1));
      events.crashed(exit, backoff);
      restarts += 1;
      restartTimer = setTimeout(launch, backoff);
    });
  };
  launch();

  return {
    stop: (graceMs = 20_000) => {
      stopped = true;
      if (restartTimer) clearTimeout(restartTimer);
      const running = child;
      if (!running || running.exitCode !== null || running.signalCode !== null) return Promise.resolve();
      return new Promise((done) => {
        const killer = setTimeout(() => running.kill('SIGKILL'), graceMs);
        running.once('exit', () => {
          clearTimeout(killer);
          done();
        });
        running.kill('SIGTERM');
      });
    },
  };
}
