import type { DatabaseReader } from '../lib/database';
import { type KeysetPage, keysetQuery, type PageRequest } from './pagination';

export interface WebhookEndpointView {
  id: string;
  partnerId: string;
  url: string;
  eventKinds: string[];
  description: string;
  status: 'active' | 'removed';
  createdAt: string;
  removedAt: string | null;
}

export interface WebhookDeliveryView {
  id: string;
  endpointId: string;
  eventId: string;
  eventKind: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: string;
  lastAttemptAt: string | null;
  completedAt: string | null;
  redeliveryOf: string | null;
  /** The body posted, exactly as signed. */
  payload: unknown;
}

const ENDPOINT_FIELDS = {
  id: true,
  partnerId: true,
  url: true,
  eventKinds: true,
  description: true,
  createdAt: true,
  removedAt: true,
} as const;

const iso = (at: Date | null) => at?.toISOString() ?? null;

const endpointView = (row: {
  id: string;
  partnerId: string;
  url: string;
  eventKinds: string[];
  description: string;
  createdAt: Date;
  removedAt: Date | null;
}): WebhookEndpointView => ({
  ...row,
  status: row.removedAt ? 'removed' : 'active',
  createdAt: row.createdAt.toISOString(),
  removedAt: iso(row.removedAt),
});

/** The endpoint, if it is the partner's. */
export async function findWebhookEndpoint(db: DatabaseReader, partnerId: string, endpointId: string): Promise<WebhookEndpointView | null> {
  const row = await db.webhookEndpoint.findFirst({ where: { id: endpointId, partnerId }, select: ENDPOINT_FIELDS });
  return row && endpointView(row);
}

/** The partner's endpoints, removed ones included, newest first. */
export async function listWebhookEndpoints(
  db: DatabaseReader,
  partnerId: string,
  page: PageRequest,
): Promise<KeysetPage<WebhookEndpointView>> {
  const keyset = keysetQuery(page, 'createdAt', 'id', 'desc');
  const rows = await db.webhookEndpoint.findMany({
    where: { AND: [{ partnerId }, keyset.where] },
    select: ENDPOINT_FIELDS,
    orderBy: keyset.orderBy,
    take: keyset.take,
  });
  return keyset.page(rows, endpointView);
}

export const countActiveWebhookEndpoints = (db: DatabaseReader, partnerId: string): Promise<number> =>
  db.webhookEndpoint.count({ where: { partnerId, removedAt: null } });

type DeliveryRow = Awaited<ReturnType<DatabaseReader['webhookDelivery']['findFirstOrThrow']>>;

const deliveryView = ({ dedupeKey: _key, ...row }: DeliveryRow): WebhookDeliveryView => ({
  ...row,
  status: row.status as WebhookDeliveryView['status'],
  createdAt: row.createdAt.toISOString(),
  lastAttemptAt: iso(row.lastAttemptAt),
  completedAt: iso(row.completedAt),
});

/** The endpoint's deliveries, newest first. */
export async function listWebhookDeliveries(
  db: DatabaseReader,
  endpointId: string,
  page: PageRequest,
): Promise<KeysetPage<WebhookDeliveryView>> {
  const keyset = keysetQuery(page, 'createdAt', 'id', 'desc');
  const rows = await db.webhookDelivery.findMany({
    where: { AND: [{ endpointId }, keyset.where] },
    orderBy: keyset.orderBy,
    take: keyset.take,
  });
  return keyset.page(rows, deliveryView);
}

export async function findWebhookDelivery(db: DatabaseReader, endpointId: string, deliveryId: string): Promise<WebhookDeliveryView | null> {
  const row = await db.webhookDelivery.findFirst({ where: { id: deliveryId, endpointId } });
  return row && deliveryView(row);
}
