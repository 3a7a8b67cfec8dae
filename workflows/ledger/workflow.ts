import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { DEFAULT_ACTIVITY_OPTIONS } from '../activity-options';
import { LEDGER_EXPIRY_BATCH, type LedgerCorrectionInput, type LedgerEntryView } from './definitions';

const { recordPointCorrection, recordLedgerExpiries, loadCatalogInForce } = proxyActivities<Activities>(DEFAULT_ACTIVITY_OPTIONS);

/** A correction is a new ledger entry that refers to the one it corrects; nothing is edited. */
export async function ledgerCorrectionWorkflow(input: LedgerCorrectionInput): Promise<LedgerEntryView> {
  return recordPointCorrection(input);
}

/**
 * The daily sweep a Temporal schedule starts: records an expiry entry for every award that left
 * the window, in batches so that no single activity runs long.
 */
export async function ledgerExpiryWorkflow(): Promise<{ expired: number }> {
  const catalog = await loadCatalogInForce();
  const asOf = new Date().toISOString();
  let expired = 0;
  for (;;) {
    const batch = await recordLedgerExpiries({ asOf, catalogVersionId: catalog.catalogVersionId, limit: LEDGER_EXPIRY_BATCH });
    expired += batch.written;
    if (batch.found < LEDGER_EXPIRY_BATCH) return { expired };
  }
}
