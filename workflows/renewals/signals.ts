import { getExternalWorkflowHandle, type SignalDefinition } from '@temporalio/workflow';
import { membershipWorkflowId } from './definitions';

/**
 * Tells a partner's membership workflow about a change. A partner activated before memberships
 * existed (or one whose membership already ended) has none to tell: that is not an error.
 */
export async function signalMembership<Args extends unknown[]>(
  partnerId: string,
  signal: SignalDefinition<Args>,
  ...args: Args
): Promise<void> {
  await getExternalWorkflowHandle(membershipWorkflowId(partnerId))
    .signal(signal, ...args)
    .catch(() => undefined);
}
