import {
  ActivityFailure,
  ApplicationFailure,
  condition,
  getExternalWorkflowHandle,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { DAY_MS } from '../../domain/time';
import { DEFAULT_ACTIVITY_OPTIONS } from '../activity-options';
import { noticePartnerSince } from '../partner-notices';
import { evidenceChangedSignal } from '../competencies/definitions';
import { membershipConsolidatedSignal } from '../renewals/definitions';
import { signalMembership } from '../renewals/signals';
import { ReviewGate } from '../reviews/review-gate';
import {
  CONSOLIDATION_REFUSED,
  type ConsolidationConsent,
  type ConsolidationInput,
  type ConsolidationState,
  type ConsolidationStatus,
  consentToConsolidationUpdate,
  consolidationStateQuery,
  declineConsolidationUpdate,
} from './definitions';

const { loadCatalogInForce, transitionConsolidation, mergePartners, refundUnusedFee, reevaluatePartnerLevel, notifyPartner } =
  proxyActivities<Activities>(DEFAULT_ACTIVITY_OPTIONS);

/** Before notices had templates, the absorbing partner did not hear that the other consented. */
const CONSOLIDATION_NOTICES_PARTNERS = 'consolidation-notices-partners';

/**
 * One partner absorbs another: the absorbed partner's own key consents, a reviewer approves,
 * then one locked transaction moves its resources to the survivor. Afterwards the absorbed
 * partner's running processes stop, its unused fee is returned, and the survivor's level is
 * re-evaluated on the pooled resources.
 */
export async function consolidationWorkflow(input: ConsolidationInput): Promise<ConsolidationState> {
  const { workflowId } = workflowInfo();
  const state: ConsolidationState = { status: 'awaiting_consent', reviewTaskId: null, reason: null };
  let consent: ConsolidationConsent | undefined;
  let declined: ConsolidationConsent | undefined;
  let step = 0;
  setHandler(consolidationStateQuery, () => state);
  // The absorbed partner answers once, yes or no, while the consolidation awaits it.
  const answer = (record: (given: ConsolidationConsent) => void) =>
    [
      async (given: ConsolidationConsent) => {
        record(given);
        await condition(() => state.status !== 'awaiting_consent');
        return state;
      },
      {
        validator: (given: ConsolidationConsent) => {
          if (state.status !== 'awaiting_consent' || consent || declined || !given.actor) {
            throw ApplicationFailure.nonRetryable(`This consolidation is ${state.status}, not awaiting consent`, CONSOLIDATION_REFUSED);
          }
        },
      },
    ] as const;
  setHandler(consentToConsolidationUpdate, ...answer((given) => (consent = given)));
  setHandler(declineConsolidationUpdate, ...answer((given) => (declined = given)));

  const transition = async (status: ConsolidationStatus, fields: { actor?: string; reason?: string; reviewTaskId?: string } = {}) => {
    step += 1;
    await transitionConsolidation({ ...input, workflowId, step, status, actor: fields.actor ?? 'system', ...fields });
    // After the write, so a consent answered from this state reads the same from the database.
    state.status = status;
    state.reason = fields.reason ?? null;
  };

  const catalog = await loadCatalogInForce();
  const rules = catalog.rules.consolidation;
  await transition('awaiting_consent', { actor: input.requestedBy });
  await notifyPartner({
    dedupeKey: `consolidation:${input.consolidationId}:consent-requested`,
    kind: 'consolidation-consent-requested',
    partnerId: input.absorbedId,
    subject: 'Consent requested: consolidation into another partner',
    body: `Partner ${input.survivorId} asks to absorb your organization (consolidation ${input.consolidationId}). Consent with your own key within ${rules.consentDays} days.`,
  });
  if (!(await condition(() => consent !== undefined || declined !== undefined, rules.consentDays * DAY_MS))) {
    await transition('expired', { reason: `The absorbed partner did not consent within ${rules.consentDays} days` });
    return state;
  }
  if (declined) {
    await transition('declined', { actor: declined.actor, reason: 'The partner named declined to be absorbed' });
    return state;
  }

  await noticePartnerSince(CONSOLIDATION_NOTICES_PARTNERS, {
    dedupeKey: `consolidation:${input.consolidationId}:consented`,
    kind: 'consolidation-consented',
    partnerId: input.survivorId,
    otherPartnerId: input.absorbedId,
    facts: { reviewDays: rules.review.deadlineDays },
    path: `/v1/consolidations/${input.consolidationId}`,
  });
  const gate = new ReviewGate();
  const { reviewTaskId } = await gate.open(
    {
      kind: 'consolidation',
      partnerId: input.survivorId,
      subjectId: input.consolidationId,
      summary: `Partner ${input.survivorId} absorbs partner ${input.absorbedId}; both consented`,
    },
    rules.review,
  );
  state.reviewTaskId = reviewTaskId;
  await transition('in_review', { actor: consent!.actor, reviewTaskId });
  const review = await gate.decide(rules.review, {
    partnerId: input.survivorId,
    subject: 'Consolidation awaits a decision',
    body: `Consolidation ${input.consolidationId} awaits a decision (review ${reviewTaskId}).`,
  });
  if (review === 'expired') {
    await transition('expired', { reason: 'No reviewer decided before the deadline' });
    return state;
  }
  if (review.decision !== 'approve') {
    await transition('rejected', { actor: review.decidedBy, reason: review.reason });
    return state;
  }

  let merged;
  try {
    merged = await mergePartners({ ...input, workflowId, actor: review.decidedBy, asOf: new Date().toISOString() });
  } catch (error) {
    if (error instanceof ActivityFailure && error.cause instanceof ApplicationFailure && error.cause.type === CONSOLIDATION_REFUSED) {
      await transition('refused', { actor: review.decidedBy, reason: error.cause.message });
      return state;
    }
    throw error;
  }
  state.status = 'completed';

  // The absorbed partner's processes end with its membership; one that ended meanwhile needs nothing.
  await signalMembership(input.absorbedId, membershipConsolidatedSignal, {
    consolidationId: input.consolidationId,
    survivorId: input.survivorId,
  });
  await Promise.all(
    merged.stopWorkflowIds.map((id) =>
      getExternalWorkflowHandle(id)
        .cancel()
        .catch(() => undefined),
    ),
  );
  await Promise.all(
    merged.waitingVerificationIds.map((id) =>
      getExternalWorkflowHandle(id)
        .signal(evidenceChangedSignal)
        .catch(() => undefined),
    ),
  );
  for (const refund of merged.feeRefunds) await refundUnusedFee({ ...refund, consolidationId: input.consolidationId });
  await reevaluatePartnerLevel({
    partnerId: input.survivorId,
    dedupeKey: `consolidation:${input.consolidationId}:survivor-level`,
    actor: 'system',
    cause: `Absorbed partner ${input.absorbedId}`,
    asOf: new Date().toISOString(),
  });
  for (const partnerId of [input.survivorId, input.absorbedId]) {
    await notifyPartner({
      dedupeKey: `consolidation:${input.consolidationId}:completed:${partnerId}`,
      kind: 'consolidation-completed',
      partnerId,
      subject: 'Consolidation completed',
      body: `Partner ${input.absorbedId} is now part of partner ${input.survivorId}: ${merged.moved.offices} offices, ${merged.moved.evidence} pieces of evidence and ${merged.moved.points} points moved.`,
    });
  }
  return state;
}
