import type { PartnerProfile } from '../domain/profiles';
import type { DatabaseReader } from '../lib/database';

export interface ProfileView extends PartnerProfile {
  partnerId: string;
}

/** The partner's profile and contact, or null when there is no such partner. */
export async function findProfile(db: DatabaseReader, partnerId: string): Promise<ProfileView | null> {
  const partner = await db.partner.findUnique({
    where: { id: partnerId },
    select: {
      description: true,
      website: true,
      industries: true,
      customerSizes: true,
      technologies: true,
      languages: true,
      serviceAreas: true,
      listed: true,
      mutedNotices: true,
      contactName: true,
      contactEmail: true,
    },
  });
  if (!partner) return null;
  const { contactName, contactEmail, ...profile } = partner;
  return { partnerId, ...profile, contact: { name: contactName, email: contactEmail } };
}
