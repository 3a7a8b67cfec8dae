export const locationChangeWorkflowId = (partnerId: string, changeId: string): string => `location-${partnerId}-${changeId}`;

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

export interface LocationChangeInput {
  changeId: string;
  partnerId: string;
  change: LocationChange;
  actor: string;
}

export interface LocationView extends OfficeAddress {
  id: string;
  isPrimary: boolean;
  createdAt: string;
}

/** Failure type for a change the partner's offices refuse (e.g. removing the primary office); the API answers 409. */
export const LOCATION_CHANGE_REFUSED = 'LocationChangeRefused';
