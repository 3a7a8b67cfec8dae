/**
 * A partner's public profile (what the Solution Finder shows of it) and the contact the program
 * writes to. Enrollment captures the first version (website, industries, customer sizes,
 * technologies, contact); the partner keeps it up to date, one partial change at a time.
 */
export interface PartnerContact {
  name: string;
  email: string;
}

export interface PartnerProfile {
  description: string;
  website: string;
  industries: string[];
  customerSizes: string[];
  technologies: string[];
  /** ISO 639-1 codes. */
  languages: string[];
  /** ISO 3166-1 alpha-2 countries and ISO 3166-2 regions (`DE`, `DE-BY`) served beyond the offices. */
  serviceAreas: string[];
  /** False: the partner opts out of the Solution Finder. */
  listed: boolean;
  contact: PartnerContact;
  /** Notice kinds the partner chose not to receive (only kinds the notice table marks mutable). */
  mutedNotices: string[];
}

/** Only the fields given change; the contact too may change one field at a time. */
export type ProfileChange = Partial<Omit<PartnerProfile, 'contact'>> & { contact?: Partial<PartnerContact> };

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The profile after the change, and the names of the fields it really changed (none: nothing to write). */
export function changedProfile(
  before: PartnerProfile,
  change: ProfileChange,
): { after: PartnerProfile; changed: (keyof PartnerProfile)[] } {
  const defined = <T extends object>(value: T) =>
    Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as Partial<T>;
  const { contact, ...fields } = change;
  const after: PartnerProfile = { ...before, ...defined(fields), contact: { ...before.contact, ...defined(contact ?? {}) } };
  const changed = (Object.keys(after) as (keyof PartnerProfile)[]).filter((field) => !same(before[field], after[field]));
  return { after, changed };
}
