import type { ActivityDeps } from '../deps';
import { createInvoiceActivities } from './invoices';
import { createMatchingActivities } from './matching';
import { createQuoteActivities } from './quotes';
import { createRefundActivities } from './refunds';

/** Fees and the money that settles them: quotes, invoices, payment matching and refunds. */
export function createPaymentActivities(deps: ActivityDeps) {
  return {
    ...createQuoteActivities(deps),
    ...createInvoiceActivities(deps),
    ...createMatchingActivities(deps),
    ...createRefundActivities(deps),
  };
}
