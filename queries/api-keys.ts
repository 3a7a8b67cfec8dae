import { type ApiKeyRole, maskApiKey } from '../lib/api-keys';
import type { DatabaseReader } from '../lib/database';
import type { ApiKey } from '../prisma/generated/client';
import { type KeysetPage, keysetQuery, type PageRequest } from './pagination';

export const API_KEY_STATES = ['active', 'expiring', 'expired', 'revoked'] as const;
export type ApiKeyState = (typeof API_KEY_STATES)[number];

/** A key as anyone may see it once issued: masked, with where it stands. */
export interface ApiKeyView {
  id: string;
  name: string;
  role: ApiKeyRole;
  partnerId: string | null;
  /** A reviewer's or an admin's address for review notices; null for partner keys and keys without one. */
  email: string | null;
  /** The review kinds this key hears about; empty is every kind. */
  reviewKinds: string[];
  masked: string;
  /** `expiring`: rotated out, still working until `expiresAt`. */
  state: ApiKeyState;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
}

export function toApiKeyView(key: ApiKey, now: Date): ApiKeyView {
  const state: ApiKeyState = key.revokedAt ? 'revoked' : !key.expiresAt ? 'active' : key.expiresAt <= now ? 'expired' : 'expiring';
  return {
    id: key.id,
    name: key.name,
    role: key.role as ApiKeyRole,
    partnerId: key.partnerId,
    email: key.email,
    reviewKinds: key.reviewKinds,
    masked: maskApiKey(key.id),
    state,
    createdAt: key.createdAt.toISOString(),
    expiresAt: key.expiresAt?.toISOString() ?? null,
    revokedAt: key.revokedAt?.toISOString() ?? null,
  };
}

/** Which keys a caller may list: all (admin), a partner's, or one key (a reviewer's own). */
export type ApiKeyScope = { all: true } | { partnerId: string } | { keyId: string };

export async function listApiKeys(
  db: DatabaseReader,
  scope: ApiKeyScope,
  filter: { role?: ApiKeyRole; partnerId?: string },
  page: PageRequest,
  now: Date,
): Promise<KeysetPage<ApiKeyView>> {
  const keyset = keysetQuery(page, 'createdAt', 'id');
  const scoped = 'partnerId' in scope ? { partnerId: scope.partnerId } : 'keyId' in scope ? { id: scope.keyId } : {};
  const rows = await db.apiKey.findMany({
    where: { AND: [filter, scoped, keyset.where] },
    orderBy: keyset.orderBy,
    take: keyset.take,
  });
  return keyset.page(rows, (row) => toApiKeyView(row, now));
}

export async function findApiKey(db: DatabaseReader, id: string, now: Date): Promise<ApiKeyView | null> {
  const key = await db.apiKey.findUnique({ where: { id } });
  return key && toApiKeyView(key, now);
}
