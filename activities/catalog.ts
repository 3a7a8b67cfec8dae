import { type CatalogInForce, findCatalogInForce } from '../lib/catalog';
import type { ActivityDeps } from './deps';

export function createCatalogActivities({ prisma, clock }: ActivityDeps) {
  return {
    async loadCatalogInForce(): Promise<CatalogInForce> {
      const catalog = await findCatalogInForce(prisma, clock.now());
      // Retryable on purpose: the catalog seed may simply not have run yet.
      if (!catalog) throw new Error('No program catalog is in force yet');
      return catalog;
    },
  };
}
