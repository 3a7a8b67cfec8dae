import { createHash, randomBytes } from 'node:crypto';
import type { AuditEntry } from './audit';

export type ApiKeyRole = 'partner' | 'reviewer' | 'admin';
export const API_KEY_ROLES: readonly ApiKeyRole[] = ['partner', 'reviewer', 'admin'];

export interface IssuedApiKey {
  id: string;
  key: string;
  hash: string;
}

const KEY_PREFIX = 'ppk';

/** A random secret's SHA-256, hex: with enough randomness in the secret, no salt or stretching is needed at rest. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Keys are 256 bits of randomness, so their SHA-256 is enough at rest. */
export const hashApiKey = hashSecret;

/** A new key: an id to name it by and 256 random bits, shown once; only its hash is kept. */
export function issueRandomApiKey(): IssuedApiKey {
  const id = randomBytes(8).toString('hex');
  const key = `${KEY_PREFIX}_${id}_${randomBytes(32).toString('base64url')}`;
  return { id, key, hash: hashApiKey(key) };
}

/** How a key is shown once issued: its prefix and id, never its secret part. */
export function maskApiKey(id: string): string {
  return `${KEY_PREFIX}_${id}_…`;
}

export type ApiKeyEvent = 'issued' | 'rotated' | 'revoked';

/** The audit event of a key's life, once per key and event whoever records it, and never with the key itself. */
export function apiKeyAuditEntry(
  keyId: string,
  event: ApiKeyEvent,
  actor: string,
  after: Record<string, string | string[] | null>,
): AuditEntry {
  return {
    dedupeKey: `api-key:${keyId}:${event}`,
    actor,
    entityType: 'api_key',
    entityId: keyId,
    action: `api_key.${event}`,
    after,
  };
}
