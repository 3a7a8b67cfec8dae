import { continueAsNew, getExternalWorkflowHandle, proxyActivities, sleep, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { DEFAULT_ACTIVITY_OPTIONS } from '../activity-options';
import { membershipCatalogChangedSignal, membershipWorkflowId } from '../renewals/definitions';
import { CATALOG_ROLLOUT_BATCH, CATALOG_ROLLOUT_PAUSE, type CatalogRolloutInput, type CatalogRolloutOutcome } from './definitions';

const { listOpenMemberships } = proxyActivities<Activities>(DEFAULT_ACTIVITY_OPTIONS);

/**
 * A new catalog version reaches every open membership: once it is in force, each membership
 * workflow is told (`membershipCatalogChanged`), a batch at a time with a pause between batches,
 * so its remaining milestones follow the new rules and its next renewal is decided under them.
 */
export async function catalogRolloutWorkflow(input: CatalogRolloutInput): Promise<CatalogRolloutOutcome> {
  const wait = Date.parse(input.effectiveFrom) - Date.now();
  if (wait > 0) await sleep(wait);
  let after = input.after;
  let told = input.told ?? 0;
  for (;;) {
    const partnerIds = await listOpenMemberships({ after, limit: CATALOG_ROLLOUT_BATCH });
    await Promise.all(
      partnerIds.map((partnerId) =>
        getExternalWorkflowHandle(membershipWorkflowId(partnerId))
          .signal(membershipCatalogChangedSignal)
          // A membership that ended meanwhile has nothing left to renew.
          .catch(() => undefined),
      ),
    );
    told += partnerIds.length;
    if (partnerIds.length < CATALOG_ROLLOUT_BATCH) return { catalogVersionId: input.catalogVersionId, told };
    after = partnerIds[partnerIds.length - 1];
    if (workflowInfo().continueAsNewSuggested) return continueAsNew<typeof catalogRolloutWorkflow>({ ...input, after, told });
    await sleep(CATALOG_ROLLOUT_PAUSE);
  }
}
