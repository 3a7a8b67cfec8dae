import { setTimeout as sleep } from 'node:timers/promises';

export interface Answer {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export interface CallCounts {
  calls: number;
  /** Answers the client retried: 502/503/504, refused connections and timeouts, while a part is down. */
  retried: number;
  /** 500s: the API failed where it should have said 503; each is a finding. */
  serverErrors: number;
  /** The first 500s' requests and bodies, for the report. */
  serverErrorSamples: string[];
}

/** Statuses a client waits out: a dependency is down, the API says so and recovers by itself. */
const TRANSIENT = new Set([429, 502, 503, 504]);

/**
 * A client as a patient integrator writes one: each call is retried on a transient answer or a
 * network error, with back-off, until the deadline; any other answer is returned to the caller.
 */
export class ChaosClient {
  readonly counts: CallCounts = { calls: 0, retried: 0, serverErrors: 0, serverErrorSamples: [] };

  constructor(
    private readonly base: string,
    private readonly deadline: number,
  ) {}

  async call(
    method: string,
    path: string,
    options: { key?: string; body?: string | object; headers?: Record<string, string> } = {},
  ): Promise<Answer> {
    let wait = 200;
    for (;;) {
      this.counts.calls += 1;
      try {
        const response = await fetch(`${this.base}${path}`, {
          method,
          headers: {
            ...(options.key ? { authorization: `Bearer ${options.key}` } : {}),
            ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
            ...options.headers,
          },
          body: typeof options.body === 'string' ? options.body : options.body && JSON.stringify(options.body),
          signal: AbortSignal.timeout(20_000),
        });
        const text = await response.text();
        if (response.status === 500) {
          this.counts.serverErrors += 1;
          if (this.counts.serverErrorSamples.length < 10) this.counts.serverErrorSamples.push(`${method} ${path}: ${text.slice(0, 300)}`);
        }
        if (!TRANSIENT.has(response.status) && response.status !== 500) {
          return { status: response.status, body: text ? JSON.parse(text) : null };
        }
      } catch {
        // Refused or timed out: the API, or what it waits on, is restarting.
      }
      this.counts.retried += 1;
      if (Date.now() + wait > this.deadline) throw new Error(`${method} ${path} got no answer before the deadline`);
      await sleep(wait);
      wait = Math.min(wait * 2, 2000);
    }
  }

  /** Polls until `read` answers something, or the deadline passes. */
  async until<T>(what: string, read: () => Promise<T | undefined | null | false>): Promise<T> {
    for (;;) {
      const value = await read();
      if (value) return value;
      if (Date.now() + 500 > this.deadline) throw new Error(`gave up waiting for ${what}`);
      await sleep(500);
    }
  }
}
