import type { LocationChange } from '../../domain/locations';

export const locationChangeWorkflowId = (partnerId: string, changeId: string): string => `location-${partnerId}-${changeId}`;

export interface LocationChangeInput {
  changeId: string;
  partnerId: string;
  change: LocationChange;
  actor: string;
}

/** Failure type for a change the partner's offices refuse (e.g. removing the primary office); the API answers 409. */
export const LOCATION_CHANGE_REFUSED = 'LocationChangeRefused';
