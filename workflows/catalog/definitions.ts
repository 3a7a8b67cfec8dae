/** One rollout per published catalog version: the worker starting again finds it. */
export const catalogRolloutWorkflowId = (catalogVersionId: string): string => `catalog-rollout-${catalogVersionId}`;

export interface CatalogRolloutInput {
  catalogVersionId: string;
  /** When the version comes into force: the rollout waits for it. */
  effectiveFrom: string;
  /** The last partner told, carried across continue-as-new. */
  after?: string;
  told?: number;
}

export interface CatalogRolloutOutcome {
  catalogVersionId: string;
  /** Open memberships told about the version. */
  told: number;
}

/** Memberships told per batch, and the pause between batches that spreads the signals. */
export const CATALOG_ROLLOUT_BATCH = 100;
export const CATALOG_ROLLOUT_PAUSE = '1 second';
