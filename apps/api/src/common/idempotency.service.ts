import { createHash } from 'node:crypto';
import { HttpStatus, Injectable } from '@nestjs/common';
import { HOUR_MS } from '#domain/time';
import { PrismaService } from '../database/prisma.service';
import { ApiError, badRequest } from './api-error';

const KEY_PATTERN = /^[\x21-\x7e]{1,200}$/;
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

export function assertIdempotencyKey(key: string | undefined): void {
  if (key !== undefined && !KEY_PATTERN.test(key)) {
    throw badRequest('The request is not valid', [
      { field: 'Idempotency-Key', reason: 'must be 1 to 200 visible ASCII characters', code: 'invalid_idempotency_key' },
    ]);
  }
}

/**
 * Reserve-then-act idempotency: the first request under a key stores the identifiers it will
 * use; every repeat within the key's lifetime, even a concurrent one, gets those same
 * identifiers back and repeats only idempotent work with them.
 */
@Injectable()
export class IdempotencyService {
  constructor(private readonly prisma: PrismaService) {}

  async reserve<T extends object>(scope: string, key: string, request: unknown, proposed: T): Promise<T> {
    const requestHash = createHash('sha256').update(canonicalJson(request)).digest('hex');
    const expired = new Date(Date.now() - IDEMPOTENCY_KEY_LIFETIME_HOURS * HOUR_MS);
    await this.prisma.idempotencyRecord.deleteMany({ where: { scope, key, createdAt: { lt: expired } } });
    await this.prisma.idempotencyRecord.createMany({
      data: [{ scope, key, requestHash, response: proposed }],
      skipDuplicates: true,
    });
    const record = await this.prisma.idempotencyRecord.findUniqueOrThrow({ where: { scope_key: { scope, key } } });
    if (record.requestHash !== requestHash) {
      throw new ApiError(
        HttpStatus.UNPROCESSABLE_ENTITY,
        'idempotency_key_reused',
        'This Idempotency-Key was already used with a different request body',
      );
    }
    return record.response as T;
  }
}
