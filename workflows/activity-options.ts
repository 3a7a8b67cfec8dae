import type { ActivityOptions } from '@temporalio/workflow';

/** Every activity here is a short, idempotent database or mail call: retry it patiently. */
export const DEFAULT_ACTIVITY_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
};
