import { randomBytes } from 'node:crypto';
import { hashSecret } from './api-keys';

/** Crockford's base32: no I, L, O or U, so a key read out or typed is hard to get wrong. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const GROUPS = 5;
const GROUP_LENGTH = 5;

export interface NewLicenseKey {
  /** Shown once, in the answer that issued it; never stored, never sent to a workflow. */
  key: string;
  hash: string;
  /** The last group, which the benefits page shows to tell keys apart. */
  lastChars: string;
}

/**
 * A software license key: `PPL-` and five groups of five base32 characters, 125 random bits, so
 * SHA-256 without salt is enough at rest (as for API keys). It is no API key and opens no route.
 */
export function newLicenseKey(): NewLicenseKey {
  const bytes = randomBytes(GROUPS * GROUP_LENGTH);
  const characters = [...bytes].map((byte) => ALPHABET[byte & 31]);
  const groups = Array.from({ length: GROUPS }, (_, index) => characters.slice(index * GROUP_LENGTH, (index + 1) * GROUP_LENGTH).join(''));
  const key = `PPL-${groups.join('-')}`;
  return { key, hash: hashSecret(key), lastChars: groups[GROUPS - 1] };
}
