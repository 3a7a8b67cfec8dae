import { createHash, createHmac, randomBytes } from 'node:crypto';

export type ApiKeyRole = 'partner' | 'reviewer' | 'admin';
export const API_KEY_ROLES: readonly ApiKeyRole[] = ['partner', 'reviewer', 'admin'];

export interface IssuedApiKey {
  id: string;
  key: string;
  hash: string;
}

const KEY_PREFIX = 'ppk';

/** Keys are 256 bits of randomness, so SHA-256 (no salt, no stretching) is enough at rest. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

function keyFromSecret(id: string, secretPart: Buffer): IssuedApiKey {
  const key = `${KEY_PREFIX}_${id}_${secretPart.toString('base64url')}`;
  return { id, key, hash: hashApiKey(key) };
}

export function issueRandomApiKey(): IssuedApiKey {
  return keyFromSecret(randomBytes(8).toString('hex'), randomBytes(32));
}

/**
 * A partner's key is derived from the enrollment id under a server secret, so a repeated
 * enrollment request (same Idempotency-Key) can answer the same key without it being stored.
 */
export function derivePartnerApiKey(secret: string, enrollmentId: string): IssuedApiKey {
  const material = createHmac('sha256', secret).update(`partner-api-key:${enrollmentId}`).digest();
  const id = createHash('sha256').update(material).digest('hex').slice(0, 16);
  return keyFromSecret(id, material);
}
