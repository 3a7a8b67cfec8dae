import { ApplicationFailure } from '@temporalio/activity';
import { type CatalogInForce, findCatalogInForce } from '../lib/catalog';
import type { PrismaClient } from '../lib/database';
import { computeStanding, type PartnerStanding } from '../lib/standing';

/**
 * Where a partner stands as of the workflow's time, under the catalog then in force. A missing
 * partner (or catalog) fails the activity for good: retrying cannot make it appear.
 */
export async function standingAsOf(
  prisma: PrismaClient,
  partnerId: string,
  asOf: string,
): Promise<{ catalog: CatalogInForce; standing: PartnerStanding }> {
  const at = new Date(asOf);
  const catalog = await findCatalogInForce(prisma, at);
  const standing = catalog && (await computeStanding(prisma, partnerId, catalog, at));
  if (!catalog || !standing) throw ApplicationFailure.nonRetryable(`Partner ${partnerId} not found`, 'PartnerNotFound');
  return { catalog, standing };
}
