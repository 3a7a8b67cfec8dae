import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { DEFAULT_ACTIVITY_OPTIONS } from '../activity-options';
import type { LocationView } from '../../queries/locations';
import type { LocationChangeInput } from './definitions';

const { applyLocationChange } = proxyActivities<Activities>(DEFAULT_ACTIVITY_OPTIONS);

/** One change to a partner's offices: a single transaction, with its audit event. */
export async function locationChangeWorkflow(input: LocationChangeInput): Promise<LocationView[]> {
  return applyLocationChange(input);
}
