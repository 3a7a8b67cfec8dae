import { type Client, ScheduleAlreadyRunning, ScheduleOverlapPolicy } from '@temporalio/client';

/** The schedule that starts `ledgerExpiryWorkflow` once a day. */
export const LEDGER_EXPIRY_SCHEDULE_ID = 'ledger-expiry-daily';

/**
 * The daily ledger-expiry sweep, at 00:05 UTC. Created once; a worker starting again finds it.
 * A sweep still running is not doubled, and one missed while Temporal was down runs on return.
 */
export async function ensureLedgerExpirySchedule(client: Client, taskQueue: string): Promise<void> {
  try {
    await client.schedule.create({
      scheduleId: LEDGER_EXPIRY_SCHEDULE_ID,
      spec: { calendars: [{ hour: 0, minute: 5 }] },
      action: { type: 'startWorkflow', workflowType: 'ledgerExpiryWorkflow', workflowId: 'ledger-expiry', taskQueue, args: [] },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
    });
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
  }
}
