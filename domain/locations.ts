/**
 * The rules a partner's offices keep: every office is in the primary office's country (one fee
 * per organization and country), there is always exactly one primary office, and a change names
 * an office the partner has, and no more offices than the catalog's cap. The API refuses early with them; the location-change activity
 * checks them again under the partner's row lock.
 */
export interface OfficeAddress {
  addressLine1: string;
  city: string;
  postalCode: string;
  country: string;
}

export type LocationChange =
  | { kind: 'add'; locationId: string; address: OfficeAddress }
  | { kind: 'update'; locationId: string; address: Partial<OfficeAddress> }
  | { kind: 'remove'; locationId: string }
  | { kind: 'make-primary'; locationId: string };

export interface OfficeFacts {
  id: string;
  isPrimary: boolean;
  country: string;
}

export type OfficeChangeRefusal =
  | { code: 'unknown_office'; message: string }
  | { code: 'office_limit_reached'; message: string }
  | { code: 'country_mismatch'; message: string; primaryCountry: string }
  | { code: 'primary_office'; message: string };

/** Why a change to these (current) offices is refused, or null when it keeps every rule. */
export function officeChangeRefusal(
  offices: readonly OfficeFacts[],
  change: LocationChange,
  officesPerPartner?: number,
): OfficeChangeRefusal | null {
  if (change.kind === 'add' && officesPerPartner !== undefined && offices.length >= officesPerPartner) {
    return { code: 'office_limit_reached', message: `A partner may have ${officesPerPartner} offices; remove one first` };
  }
  const primary = offices.find((office) => office.isPrimary);
  const target = offices.find((office) => office.id === change.locationId);
  if (change.kind !== 'add' && !target) {
    return { code: 'unknown_office', message: `Office ${change.locationId} is not one of this partner's offices` };
  }
  const country = change.kind === 'add' || change.kind === 'update' ? change.address.country : undefined;
  // The only office, being primary, may move to another country: it takes the rule with it.
  const movesOnlyOffice = change.kind === 'update' && target?.isPrimary === true && offices.length === 1;
  if (country && primary && country !== primary.country && !movesOnlyOffice) {
    return {
      code: 'country_mismatch',
      message: `Offices consolidate within one country; the primary office is in ${primary.country}`,
      primaryCountry: primary.country,
    };
  }
  if (change.kind === 'remove' && target?.isPrimary) {
    return { code: 'primary_office', message: 'The primary office cannot be removed; make another office primary first' };
  }
  return null;
}
