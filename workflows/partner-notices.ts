import { patched, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { PartnerNoticeRequest } from '../activities/notifications';
import { DEFAULT_ACTIVITY_OPTIONS } from './activity-options';

const { noticePartner } = proxyActivities<Activities>(DEFAULT_ACTIVITY_OPTIONS);

/**
 * A templated notice to the partner that a process sends only from the version that added it:
 * a history recorded before `patchId` replays without the activity it never scheduled.
 */
export async function noticePartnerSince(patchId: string, request: PartnerNoticeRequest): Promise<void> {
  if (patched(patchId)) await noticePartner(request);
}
