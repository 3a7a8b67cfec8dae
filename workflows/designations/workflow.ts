import { ApplicationFailure, condition, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { describeDesignationAssessment, type DesignationAssessment } from '../../domain/designations';
import type { NoticeEventsOf } from '../../domain/notices';
import { DEFAULT_ACTIVITY_OPTIONS } from '../activity-options';
import { ReviewGate } from '../reviews/review-gate';
import {
  DESIGNATION_NOT_GRANTED,
  type DesignationInput,
  type DesignationOutcome,
  type DesignationState,
  designationStateQuery,
  type DesignationTransition,
  type RevokeDesignationInput,
  revokeDesignationUpdate,
  type RevokedDesignation,
} from './definitions';

const {
  loadCatalogInForce,
  assessPartnerDesignation,
  transitionDesignation,
  grantDesignation,
  revokeDesignation,
  settleDesignation,
  notifyPartner,
} = proxyActivities<Activities>(DEFAULT_ACTIVITY_OPTIONS);

/**
 * A designation application: assess the partner against the designation's requirements (refused
 * when unmet), have a reviewer decide, then hold the grant for the membership year. Each renewal
 * decision re-verifies it in its own activity and moves its end, which this run finds when the old
 * end comes; an admin may revoke it meanwhile.
 */
export async function designationWorkflow(input: DesignationInput): Promise<DesignationOutcome> {
  const { workflowId, runId } = workflowInfo();
  const run = { ...input, workflowId, runId };
  const catalog = await loadCatalogInForce();
  const designation = catalog.designations.find((candidate) => candidate.code === input.code);
  const reviewRules = catalog.rules.designationReview;
  const gate = new ReviewGate(['approve', 'reject']);

  const state: DesignationState = { status: 'in-review', validUntil: null };
  let revocation: RevokeDesignationInput | undefined;
  let revoked: RevokedDesignation | undefined;
  let step = 0;
  setHandler(designationStateQuery, () => state);
  setHandler(
    revokeDesignationUpdate,
    async (request) => {
      revocation = request;
      await condition(() => revoked !== undefined);
      return revoked!;
    },
    {
      validator: (request) => {
        if (state.status !== 'granted' || revocation || !request.reason.trim()) {
          throw ApplicationFailure.nonRetryable(`Designation ${input.code} is ${state.status}, not granted`, DESIGNATION_NOT_GRANTED);
        }
      },
    },
  );

  const name = designation?.name ?? input.code;
  const notify = (event: NoticeEventsOf<'designation'>, subject: string, body: string) =>
    notifyPartner({ dedupeKey: `designation:${runId}:${event}`, kind: `designation-${event}`, partnerId: input.partnerId, subject, body });
  let assessment: DesignationAssessment | undefined;
  const transition = async (status: DesignationTransition['status'], fields: Partial<DesignationTransition>) => {
    state.status = status;
    step += 1;
    await transitionDesignation({
      ...run,
      step,
      status,
      actor: 'system',
      catalogVersionId: catalog.catalogVersionId,
      ...(assessment ? { assessment } : {}),
      ...fields,
    });
  };
  /** The application ends undecided or refused: recorded, and the partner told why. */
  const end = async (
    status: DesignationTransition['status'] & NoticeEventsOf<'designation'>,
    fields: Partial<DesignationTransition> & { reason: string },
  ) => {
    await transition(status, fields);
    await notify(status, `${name}: application ${status}`, `Your application for ${name} is ${status}: ${fields.reason}`);
    return { status };
  };

  if (!designation || !reviewRules) {
    return end('refused', { actor: input.requestedBy, reason: `The catalog in force has no designation ${input.code}` });
  }
  assessment = await assessPartnerDesignation({
    partnerId: input.partnerId,
    designation,
    communityMemberId: input.communityMemberId,
    windowDays: catalog.rules.competencyVerification.evidenceWindowDays,
    asOf: new Date().toISOString(),
  });
  // The API refused at once what it found unmet; this is the same check, for what changed since.
  if (!assessment.met) {
    return end('refused', {
      actor: input.requestedBy,
      reason: `Requirements unmet: ${describeDesignationAssessment({ checks: assessment.missing })}`,
    });
  }

  const { reviewTaskId } = await gate.open(
    {
      kind: 'designation',
      partnerId: input.partnerId,
      subjectId: input.designationId,
      summary: `${name} for community member ${input.communityMemberId}: ${describeDesignationAssessment(assessment)}`,
    },
    reviewRules,
  );
  await transition('in-review', { actor: input.requestedBy, reviewTaskId });
  const review = await gate.decide(reviewRules, {
    partnerId: input.partnerId,
    subject: 'Designation awaits a decision',
    body: `${name} for partner ${input.partnerId} awaits a decision (review ${reviewTaskId}).`,
  });
  if (review === 'expired') return end('expired', { reason: 'No reviewer decided before the deadline' });
  if (review.decision === 'reject') return end('rejected', { actor: review.decidedBy, reason: review.reason });

  const grant = await grantDesignation({ ...run, actor: review.decidedBy, grantedAt: new Date().toISOString() });
  let validUntil = grant.validUntil;
  state.status = 'granted';
  state.validUntil = validUntil;
  await notify('granted', `${name} granted`, `You hold ${name} until ${validUntil}; your renewal re-verifies it.`);

  for (;;) {
    if (await condition(() => revocation !== undefined, Math.max(1, Date.parse(validUntil) - Date.now()))) {
      revoked = await revokeDesignation({ ...run, actor: revocation!.actor, reason: revocation!.reason });
      state.status = 'revoked';
      await notify('revoked', `${name} revoked`, `${name} was revoked: ${revocation!.reason}`);
      return { status: 'revoked' };
    }
    // Its end came: a renewal that re-verified it moved the end on record; otherwise it expires now.
    const settled = await settleDesignation({ ...run, asOf: new Date().toISOString() });
    if (settled.status === 'expired') {
      state.status = 'expired';
      await notify('expired', `${name} expired`, `${name} ended with your membership year; apply again once you meet its requirements.`);
      return { status: 'expired' };
    }
    validUntil = settled.validUntil;
    state.validUntil = validUntil;
  }
}
