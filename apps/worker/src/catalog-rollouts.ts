import { type Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { PrismaClient } from '#lib/database';
import { catalogVersionsFrom } from '#queries/catalog';
import { catalogRolloutWorkflowId } from '#workflows/catalog/definitions';
import type { catalogRolloutWorkflow } from '#workflows/catalog/workflow';

/**
 * Starts the rollout of the catalog version in force and of every version published to come into
 * force later, once each: a rollout that runs or ran is left as it is, so every worker may ask.
 * Answers the versions whose rollout this call started.
 */
export async function ensureCatalogRollouts(client: Client, prisma: PrismaClient, taskQueue: string, now = new Date()): Promise<string[]> {
  const started: string[] = [];
  for (const version of await catalogVersionsFrom(prisma, now)) {
    try {
      await client.workflow.start<typeof catalogRolloutWorkflow>('catalogRolloutWorkflow', {
        workflowId: catalogRolloutWorkflowId(version.id),
        taskQueue,
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        args: [{ catalogVersionId: version.id, effectiveFrom: version.effectiveFrom.toISOString() }],
      });
      started.push(version.id);
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
  }
  return started;
}
