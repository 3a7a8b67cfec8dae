import type { ThrottlerStorage } from '@nestjs/throttler';
import type { PrismaClient } from '#lib/database';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/** Expired windows are deleted every this many increments, so the table stays as small as the live callers. */
const SWEEP_EVERY = 1000;

/**
 * Fixed windows counted in Postgres, so several API instances share one budget per caller.
 * One upsert per request: it starts a new window when the old one has ended, else counts a hit.
 */
export class PostgresThrottlerStorage implements ThrottlerStorage {
  private incrementsSinceSweep = 0;

  constructor(private readonly prisma: PrismaClient) {}

  async increment(key: string, ttlMs: number, limit: number): Promise<ThrottlerStorageRecord> {
    if (++this.incrementsSinceSweep >= SWEEP_EVERY) {
      this.incrementsSinceSweep = 0;
      await this.prisma.$executeRaw`DELETE FROM "RateLimitBucket" WHERE "expiresAt" < now()`;
    }
    const [bucket] = await this.prisma.$queryRaw<{ hits: number; secondsLeft: number }[]>`
      INSERT INTO "RateLimitBucket" (key, hits, "expiresAt")
      VALUES (${key}, 1, now() + ${ttlMs} * interval '1 millisecond')
      ON CONFLICT (key) DO UPDATE SET
        hits = CASE WHEN "RateLimitBucket"."expiresAt" <= now() THEN 1 ELSE "RateLimitBucket".hits + 1 END,
        "expiresAt" = CASE WHEN "RateLimitBucket"."expiresAt" <= now() THEN EXCLUDED."expiresAt" ELSE "RateLimitBucket"."expiresAt" END
      RETURNING hits, ceil(extract(epoch FROM "expiresAt" - now()))::int AS "secondsLeft"`;
    const isBlocked = bucket.hits > limit;
    return { totalHits: bucket.hits, timeToExpire: bucket.secondsLeft, isBlocked, timeToBlockExpire: isBlocked ? bucket.secondsLeft : 0 };
  }
}
