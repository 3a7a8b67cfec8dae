import { PrismaPg } from '@prisma/adapter-pg';
import { Prisma, PrismaClient } from '../prisma/generated/client';
import { poolConfigFromUrl } from './database-url';

export { Prisma, PrismaClient };
export type { Consolidation, Invoice, Payment } from '../prisma/generated/client';
export type TransactionClient = Prisma.TransactionClient;
/** What a read needs: the client itself, or the transaction it runs in. */
export type DatabaseReader = PrismaClient | TransactionClient;

export function createPrismaClient(databaseUrl: string, poolSize = 10): PrismaClient {
  return new PrismaClient({
    adapter: new PrismaPg({ ...poolConfigFromUrl(databaseUrl), max: poolSize }),
  });
}

/** A unique-key violation: on an activity retry it means the work is already done. */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}

/** Answers once the database takes a query; throws when it cannot be reached. */
export async function pingDatabase(db: DatabaseReader): Promise<void> {
  await db.$queryRaw`SELECT 1`;
}
