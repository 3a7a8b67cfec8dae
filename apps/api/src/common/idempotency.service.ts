import { createHash, randomUUID } from 'node:crypto';
import { HttpStatus, Injectable } from '@nestjs/common';
import { HOUR_MS } from '#domain/time';
import { PrismaService } from '../database/prisma.service';
import { ApiError } from './api-error';

/** How long a key answers with its first result; after that it may be used afresh, as payment APIs do. */
export const IDEMPOTENCY_KEY_LIFETIME_HOURS = 24;

/** JSON with sorted keys, so the same request hashes the same whatever its key order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * Reserve-then-act idempotency: the first request under a key stores the id its effects are
 * named by; every repeat within the key's lifetime, even a concurrent one, gets that same id back
 * and repeats only idempotent work with it. A repeat with another request is refused.
 */
@Injectable()
export class IdempotencyService {
  constructor(private readonly prisma: PrismaService) {}

  async reserve(scope: string, key: string, request: unknown): Promise<string> {
    const requestHash = createHash('sha256').update(canonicalJson(request)).digest('hex');
    const expired = new Date(Date.now() - IDEMPOTENCY_KEY_LIFETIME_HOURS * HOUR_MS);
    await this.prisma.idempotencyRecord.deleteMany({ where: { scope, key, createdAt: { lt: expired } } });
    await this.prisma.idempotencyRecord.createMany({
      data: [{ scope, key, requestHash, response: { requestId: randomUUID() } }],
      skipDuplicates: true,
    });
    const record = await this.prisma.idempotencyRecord.findUniqueOrThrow({ where: { scope_key: { scope, key } } });
    if (record.requestHash !== requestHash) {
      throw new ApiError(
        HttpStatus.UNPROCESSABLE_ENTITY,
        'idempotency_key_reused',
        'This Idempotency-Key was already used with a different request',
      );
    }
    return (record.response as { requestId: string }).requestId;
  }
}
