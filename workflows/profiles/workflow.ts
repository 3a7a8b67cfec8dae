import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { DEFAULT_ACTIVITY_OPTIONS } from '../activity-options';
import type { ProfileView } from '../../queries/profiles';
import type { ProfileChangeInput } from './definitions';

const { changePartnerProfile } = proxyActivities<Activities>(DEFAULT_ACTIVITY_OPTIONS);

/** One change to a partner's profile: a single transaction, with its audit event and the directory's rows. */
export async function profileChangeWorkflow(input: ProfileChangeInput): Promise<ProfileView> {
  return changePartnerProfile(input);
}
