import type { Clock } from '../lib/clock';
import type { WebhookConfig } from '../lib/config';
import type { PrismaClient } from '../lib/database';
import type { Mailer } from './mailer';
import type { PaymentProvider } from './payment-provider';

export interface ActivityDeps {
  prisma: PrismaClient;
  clock: Clock;
  mailer: Mailer;
  payments: PaymentProvider;
  /** Demos and tests: a membership term lasts this many minutes, every renewal offset scaled with it. */
  membershipTermMinutes?: number;
  /** The base of every link in a notice (`PUBLIC_URL`); the API's own address by default. */
  publicUrl?: string;
  /** Outgoing webhooks: the signing key and URL policy, and the first wait after a failed delivery. */
  webhooks?: WebhookConfig & { firstRetrySeconds: number };
}

/** Where links in mail point without `PUBLIC_URL`: the API's default address. */
export const DEFAULT_PUBLIC_URL = 'http://localhost:3000';
