import type { OfficeAddress } from '../domain/locations';
import type { DatabaseReader } from '../lib/database';

export interface LocationView extends OfficeAddress {
  id: string;
  isPrimary: boolean;
  createdAt: string;
}

/** A partner's current offices (removed ones are kept on record but left out), primary first. */
export async function activeOffices(db: DatabaseReader, partnerId: string): Promise<LocationView[]> {
  const rows = await db.location.findMany({
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

/** A partner's current offices, or null when there is no such partner. */
export async function partnerOffices(db: DatabaseReader, partnerId: string): Promise<LocationView[] | null> {
  const [exists, offices] = await Promise.all([db.partner.count({ where: { id: partnerId } }), activeOffices(db, partnerId)]);
  return exists ? offices : null;
}
