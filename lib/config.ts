/**
 * Typed configuration, validated once at start-up so a bad environment fails fast with a
 * message that names the variable.
 */
export interface TemporalConfig {
  address: string;
  namespace: string;
  taskQueue: string;
}

export interface WorkerConfig {
  databaseUrl: string;
  temporal: TemporalConfig;
  dataDir: string;
  workflowBundlePath?: string;
  /** Demos and tests: membership terms of this many minutes, renewal offsets scaled alike. */
  membershipTermMinutes?: number;
  /** Activities this worker runs at once; its database pool has as many connections, so none waits for one. */
  maxConcurrentActivities: number;
  /** Activities per second across every worker of the task queue (0: no limit), to spread a renewal storm. */
  activitiesPerSecond: number;
  /** The mail relay; without one, notices go to the outbox file in the data folder. */
  smtp?: { url: string; from: string };
  /** The base of the links in notices: where a partner or a reviewer acts (the API until the console exists). */
  publicUrl: string;
  webhooks: WebhookConfig & {
    /** The wait before a failed delivery's second attempt; each later wait doubles, up to six hours. */
    firstRetrySeconds: number;
  };
}

export interface WebhookConfig {
  /** Each endpoint's signing secret is derived from it and the endpoint's id; rotating it changes every secret. */
  signingKey: string;
  /** Tests and local demos: endpoints may be `http://127.0.0.1`; otherwise only public `https` URLs. */
  allowLoopbackHttp: boolean;
}

export interface ApiConfig {
  databaseUrl: string;
  temporal: TemporalConfig;
  port: number;
  adminApiKey: string;
  /** Shared with the payment processor: webhooks carry an HMAC-SHA256 of the raw body under it. */
  paymentWebhookSecret: string;
  /** Requests per minute per API key (anonymous requests: per client IP), across every route. */
  rateLimitPerMinute: number;
  /** Requests per minute per client IP on each public write (enrollment, survey answer). */
  publicRateLimitPerMinute: number;
  /** Where rate-limit counts live: this process, or Postgres, shared by every API instance. */
  rateLimitStore: RateLimitStore;
  /** Express `trust proxy`: which proxies' X-Forwarded-For to believe for the client IP. */
  trustProxy: boolean | number | string;
  maxBodyBytes: number;
  /** How long a partner's old keys keep working after it rotates them. */
  apiKeyRotationGraceHours: number;
  /** The longest the API waits on Temporal for one answer before it says 503 (or 202 where the work goes on). */
  temporalCallTimeoutMs: number;
  webhooks: WebhookConfig;
}

/** How `npm start` treats a crashing worker or API: restarted, unless it crashes this often. */
export interface SupervisionConfig {
  crashLimit: number;
  windowMs: number;
}

type Env = Record<string, string | undefined>;

export const RATE_LIMIT_STORES = ['memory', 'postgres'] as const;
export type RateLimitStore = (typeof RATE_LIMIT_STORES)[number];

export class ConfigError extends Error {
  constructor(problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

class EnvReader {
  readonly problems: string[] = [];

  constructor(private readonly env: Env) {}

  required(name: string, minLength = 1): string {
    const value = this.env[name];
    if (value === undefined || value.length < minLength) {
      this.problems.push(`${name} is required${minLength > 1 ? ` (at least ${minLength} characters)` : ''}`);
      return '';
    }
    return value;
  }

  optional(name: string, fallback: string): string {
    const value = this.env[name];
    return value === undefined || value === '' ? fallback : value;
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const raw = this.env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      this.problems.push(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return value;
  }

  choice<T extends string>(name: string, fallback: T, choices: readonly T[]): T {
    const value = this.optional(name, fallback);
    if (!choices.includes(value as T)) {
      this.problems.push(`${name} must be one of ${choices.join(', ')}, got "${value}"`);
      return fallback;
    }
    return value as T;
  }

  /** Express's `trust proxy`: true or false, a number of hops, or addresses and subnets (`loopback, 10.0.0.0/8`). */
  trustProxy(name: string): boolean | number | string {
    const value = this.optional(name, 'false');
    if (value === 'true' || value === 'false') return value === 'true';
    if (/^\d+$/.test(value)) return Number(value);
    if (!/^[\w.:/, -]+$/.test(value)) this.problems.push(`${name} must be true, false, a hop count or addresses and subnets`);
    return value;
  }

  url(name: string, protocols: string[]): string {
    const value = this.required(name);
    if (value && !protocols.some((protocol) => value.startsWith(`${protocol}://`))) {
      this.problems.push(`${name} must be a ${protocols.join(' or ')} URL`);
    }
    return value;
  }

  /** An optional URL: absent or empty is undefined, anything else must have one of the protocols. */
  optionalUrl(name: string, protocols: string[]): string | undefined {
    const value = this.env[name];
    if (value === undefined || value === '') return undefined;
    if (!protocols.some((protocol) => value.startsWith(`${protocol}://`)))
      this.problems.push(`${name} must be a ${protocols.join(' or ')} URL`);
    return value;
  }

  done<T>(config: T): T {
    if (this.problems.length > 0) throw new ConfigError(this.problems);
    return config;
  }
}

function readSmtp(reader: EnvReader): WorkerConfig['smtp'] {
  const url = reader.optionalUrl('SMTP_URL', ['smtp', 'smtps']);
  return url ? { url, from: reader.optional('MAIL_FROM', 'Partner Program <partner-program@localhost>') } : undefined;
}

function readWebhooks(reader: EnvReader): WebhookConfig {
  return {
    signingKey: reader.required('WEBHOOK_SIGNING_KEY', 32),
    allowLoopbackHttp: reader.choice('WEBHOOK_ALLOW_LOOPBACK_HTTP', 'false', ['true', 'false']) === 'true',
  };
}

function readTemporal(reader: EnvReader): TemporalConfig {
  return {
    address: reader.optional('TEMPORAL_ADDRESS', 'localhost:7233'),
    namespace: reader.optional('TEMPORAL_NAMESPACE', 'default'),
    taskQueue: reader.optional('TEMPORAL_TASK_QUEUE', 'partner-program'),
  };
}

export function loadWorkerConfig(env: Env = process.env): WorkerConfig {
  const reader = new EnvReader(env);
  return reader.done({
    databaseUrl: reader.url('DATABASE_URL', ['postgres', 'postgresql']),
    temporal: readTemporal(reader),
    dataDir: reader.optional('DATA_DIR', '.data'),
    workflowBundlePath: env.WORKFLOW_BUNDLE_PATH || undefined,
    membershipTermMinutes: reader.integer('MEMBERSHIP_TERM_MINUTES', 0, 0, 525_600) || undefined,
    maxConcurrentActivities: reader.integer('WORKER_MAX_CONCURRENT_ACTIVITIES', 20, 1, 500),
    activitiesPerSecond: reader.integer('WORKER_ACTIVITIES_PER_SECOND', 0, 0, 100_000),
    smtp: readSmtp(reader),
    publicUrl: reader.optionalUrl('PUBLIC_URL', ['http', 'https']) ?? `http://localhost:${reader.integer('PORT', 3000, 0, 65535)}`,
    webhooks: { ...readWebhooks(reader), firstRetrySeconds: reader.integer('WEBHOOK_FIRST_RETRY_SECONDS', 60, 1, 3600) },
  });
}

export function loadApiConfig(env: Env = process.env): ApiConfig {
  const reader = new EnvReader(env);
  return reader.done({
    databaseUrl: reader.url('DATABASE_URL', ['postgres', 'postgresql']),
    temporal: readTemporal(reader),
    port: reader.integer('PORT', 3000, 0, 65535),
    adminApiKey: reader.required('ADMIN_API_KEY', 24),
    paymentWebhookSecret: reader.required('PAYMENT_WEBHOOK_SECRET', 32),
    rateLimitPerMinute: reader.integer('RATE_LIMIT_PER_MINUTE', 600, 1, 1_000_000),
    publicRateLimitPerMinute: reader.integer('PUBLIC_RATE_LIMIT_PER_MINUTE', 30, 1, 100000),
    rateLimitStore: reader.choice('RATE_LIMIT_STORE', 'memory', RATE_LIMIT_STORES),
    trustProxy: reader.trustProxy('TRUST_PROXY'),
    maxBodyBytes: reader.integer('MAX_BODY_BYTES', 64 * 1024, 1024, 10 * 1024 * 1024),
    apiKeyRotationGraceHours: reader.integer('API_KEY_ROTATION_GRACE_HOURS', 24, 0, 720),
    temporalCallTimeoutMs: reader.integer('TEMPORAL_CALL_TIMEOUT_MS', 10000, 100, 300000),
    webhooks: readWebhooks(reader),
  });
}

export function loadSupervisionConfig(env: Env = process.env): SupervisionConfig {
  const reader = new EnvReader(env);
  return reader.done({
    crashLimit: reader.integer('CRASH_LOOP_LIMIT', 5, 1, 1000),
    windowMs: reader.integer('CRASH_LOOP_WINDOW_SECONDS', 60, 1, 86_400) * 1000,
  });
}
