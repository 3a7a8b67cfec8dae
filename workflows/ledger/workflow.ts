import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { DEFAULT_ACTIVITY_OPTIONS } from '../activity-options';
import type { LedgerCorrectionInput, LedgerEntryView } from './definitions';

const { recordPointCorrection } = proxyActivities<Activities>(DEFAULT_ACTIVITY_OPTIONS);

/** A correction is a new ledger entry that refers to the one it corrects; nothing is edited. */
export async function ledgerCorrectionWorkflow(input: LedgerCorrectionInput): Promise<LedgerEntryView> {
  return recordPointCorrection(input);
}
