import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import type { LedgerCorrectionInput, LedgerEntryView } from './definitions';

const { recordPointCorrection } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
});

/** A correction is a new ledger entry that refers to the one it corrects; nothing is edited. */
export async function ledgerCorrectionWorkflow(input: LedgerCorrectionInput): Promise<LedgerEntryView> {
  return recordPointCorrection(input);
}
