import type { TransactionClient } from './database';
import type { LocationView } from '../workflows/locations/definitions';

/** A partner's current offices (removed ones are kept on record but left out), primary first. */
export async function activeOffices(tx: Pick<TransactionClient, 'location'>, partnerId: string): Promise<LocationView[]> {
  const rows = await tx.location.findMany({
    where: { partnerId, removedAt: null },
    orderBy: [{ isPrimary: 'desc' }, { createdAt: 'asc' }, { id: 'asc' }],
  });
  return rows.map(({ id, isPrimary, addressLine1, city, postalCode, country, createdAt }) => ({
    id,
    isPrimary,
    addressLine1,
    city,
    postalCode,
    country,
    createdAt: createdAt.toISOString(),
  }));
}
