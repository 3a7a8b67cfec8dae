import { createHash } from 'node:crypto';

/**
 * A UUID derived from a business key (RFC 4122 layout, version 5 style over SHA-256), so the
 * same real-world thing always gets the same id and therefore the same workflow id.
 */
export function uuidFromKey(key: string): string {
  const bytes = createHash('sha256').update(key).digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A partner's row for one competency: every verification run of it updates the same row. */
export const partnerCompetencyId = (partnerId: string, code: string): string => uuidFromKey(`competency|${partnerId}|${code}`);

/** A piece of evidence: its partner, its natural key and which attempt (the first keeps the id it always had). */
export const evidenceIdFor = (partnerId: string, naturalKey: string, attempt: number): string =>
  uuidFromKey(attempt === 1 ? `evidence|${partnerId}|${naturalKey}` : `evidence|${partnerId}|${naturalKey}|attempt:${attempt}`);

/** A partner's row for one designation: every application for it updates the same row. */
export const partnerDesignationId = (partnerId: string, code: string): string => uuidFromKey(`designation|${partnerId}|${code}`);
