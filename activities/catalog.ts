import { type CatalogInForce, findCatalogInForce } from '../queries/catalog';
import { openMembershipPartnerIds } from '../queries/renewals';
import type { DatabaseReader } from '../lib/database';
import type { ActivityDeps } from './deps';

/** The catalog in force at `at`; retryable when there is none, since the catalog seed may simply not have run yet. */
export async function catalogInForce(db: DatabaseReader, at: Date): Promise<CatalogInForce> {
  const catalog = await findCatalogInForce(db, at);
  if (!catalog) throw new Error('No program catalog is in force yet');
  return catalog;
}

export function createCatalogActivities({ prisma, clock }: ActivityDeps) {
  return {
    loadCatalogInForce: (): Promise<CatalogInForce> => catalogInForce(prisma, clock.now()),
    /** A page of the partners whose membership may still renew, for a catalog rollout. */
    listOpenMemberships: (input: { after?: string; limit: number }): Promise<string[]> =>
      openMembershipPartnerIds(prisma, input.after, input.limit),
  };
}
