import { ApplicationFailure, condition, patched, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import type { LevelCode } from '../../domain/catalog';
import { type CompetencyStatus, describeAssessment } from '../../domain/competencies';
import { DAY_MS } from '../../domain/time';
import { DEFAULT_ACTIVITY_OPTIONS } from '../activity-options';
import { noticePartnerSince } from '../partner-notices';
import { membershipLevelChangedSignal } from '../renewals/definitions';
import { signalMembership } from '../renewals/signals';
import { ReviewGate } from '../reviews/review-gate';
import { EvidenceWatch } from './evidence-watch';
import {
  COMPETENCY_NOT_GRANTED,
  type CompetencyInput,
  type CompetencyOutcome,
  type CompetencyState,
  type CompetencyReverification,
  competencyReverifiedSignal,
  competencyStateQuery,
  type CompetencyTransition,
  type RevokeCompetencyInput,
  revokeCompetencyUpdate,
  type RevokedCompetency,
} from './definitions';

/** Before grants followed the membership year, a grant lasted the catalog's months and its expiry re-evaluated the level. */
const GRANT_FOLLOWS_MEMBERSHIP_YEAR = 'grant-follows-membership-year';
/** Before, a revocation that lowered the level left the membership's term at the old one. */
const REVOCATION_TELLS_MEMBERSHIP = 'revocation-tells-membership';
/** Before notices had templates, the partner heard only of missing evidence, never of a decision on its competency. */
const COMPETENCY_NOTICES_PARTNER = 'competency-notices-partner';

type CompetencyNoticeEvent = 'granted' | 'changes-requested' | 'rejected' | 'expired' | 'revoked' | 'reverified';

const {
  loadCatalogInForce,
  assessPartnerCompetency,
  transitionCompetency,
  grantCompetency,
  revokeCompetency,
  reevaluatePartnerLevel,
  notifyPartner,
} = proxyActivities<Activities>(DEFAULT_ACTIVITY_OPTIONS);

/**
 * Competency verification: assess the partner's evidence against the catalog's requirements,
 * wait for more evidence while they are unmet, have a reviewer decide, then hold the grant for
 * its validity period, during which an admin may revoke it.
 */
export async function competencyWorkflow(input: CompetencyInput): Promise<CompetencyOutcome> {
  const { workflowId, runId } = workflowInfo();
  const run = { ...input, workflowId, runId };
  const catalog = await loadCatalogInForce();
  const rules = catalog.rules.competencyVerification;
  const competency = catalog.competencies.find((candidate) => candidate.code === input.code);
  const gate = new ReviewGate(['approve', 'reject', 'request_changes']);

  const state: CompetencyState = { status: 'verifying', assessment: null };
  let revocation: RevokeCompetencyInput | undefined;
  let revoked: RevokedCompetency | undefined;
  let reverified: CompetencyReverification | undefined;
  let step = 0;
  let competencyId = '';
  const evidence = new EvidenceWatch(rules);
  setHandler(competencyReverifiedSignal, (result) => void (reverified = result));
  setHandler(competencyStateQuery, () => state);
  setHandler(
    revokeCompetencyUpdate,
    async (request) => {
      revocation = request;
      await condition(() => revoked !== undefined);
      return revoked!;
    },
    {
      validator: (request) => {
        if (state.status !== 'granted' || revocation || !request.reason.trim()) {
          throw ApplicationFailure.nonRetryable(`Competency ${input.code} is ${state.status}, not granted`, COMPETENCY_NOT_GRANTED);
        }
      },
    },
  );

  const transition = async (next: CompetencyStatus, fields: Partial<CompetencyTransition> = {}) => {
    state.status = next;
    step += 1;
    competencyId = await transitionCompetency({
      ...run,
      step,
      status: next,
      actor: 'system',
      catalogVersionId: catalog.catalogVersionId,
      ...(state.assessment ? { assessment: state.assessment } : {}),
      ...fields,
    });
  };
  // Keyed by the step, or by the new end of a grant, so that a second request for changes or a
  // second re-verification in the same run is a second notice.
  const notice = (event: CompetencyNoticeEvent, facts: { reason?: string; validUntil?: string }) =>
    noticePartnerSince(COMPETENCY_NOTICES_PARTNER, {
      dedupeKey: `competency:${runId}:${event}:${facts.validUntil ?? step}`,
      kind: `competency-${event}`,
      partnerId: input.partnerId,
      facts: { competency: competency?.name ?? input.code, reason: facts.reason ?? '', validUntil: facts.validUntil?.slice(0, 10) ?? '' },
      path: `/v1/partners/${input.partnerId}/competencies`,
    });
  const finish = async (next: 'rejected' | 'expired', fields: Partial<CompetencyTransition>): Promise<CompetencyOutcome> => {
    await transition(next, fields);
    await notice(next, { reason: fields.reason });
    return { status: next, points: 0 };
  };

  await transition('verifying', { actor: input.requestedBy });
  if (!competency) return finish('rejected', { reason: `The catalog in force has no competency ${input.code}` });

  const waitForEvidence = (deadlineAt: number, recheck: boolean) =>
    evidence.waitUntil(deadlineAt, recheck, () =>
      notifyPartner({
        dedupeKey: `competency:${runId}:reminder:${step}`,
        kind: 'competency-evidence-reminder',
        partnerId: input.partnerId,
        subject: `${competency.name}: evidence still missing`,
        body: `Verification of ${competency.name} is missing ${describeAssessment(state.assessment!)}. It expires on ${new Date(deadlineAt).toISOString()}.`,
      }),
    );

  let deadlineAt = Date.now() + rules.evidenceDeadlineDays * DAY_MS;
  let changesRequested = false;
  for (;;) {
    if (changesRequested) {
      if ((await waitForEvidence(deadlineAt, false)) === 'expired') {
        return finish('expired', { reason: 'No new evidence came before the deadline' });
      }
      changesRequested = false;
    }
    state.assessment = await assessPartnerCompetency({
      partnerId: input.partnerId,
      code: input.code,
      requirements: competency.requirements,
      windowDays: rules.evidenceWindowDays,
      asOf: new Date().toISOString(),
    });
    if (!state.assessment.met) {
      if (state.status !== 'awaiting-evidence') await transition('awaiting-evidence');
      if ((await waitForEvidence(deadlineAt, true)) === 'expired') {
        return finish('expired', { reason: `Requirements unmet at the deadline: ${describeAssessment(state.assessment)}` });
      }
      continue;
    }

    const { reviewTaskId } = await gate.open(
      {
        kind: 'competency',
        partnerId: input.partnerId,
        subjectId: competencyId,
        summary: `${competency.name}: ${state.assessment.checks
          .map((check) => `${check.requirement} ${check.have}/${check.need} (evidence ${check.evidenceIds.join(', ') || 'none'})`)
          .join('; ')}`,
      },
      rules.review,
    );
    await transition('in-review', { reviewTaskId });
    const review = await gate.decide(rules.review, {
      partnerId: input.partnerId,
      subject: 'Competency awaits a decision',
      body: `${competency.name} for partner ${input.partnerId} awaits a decision (review ${reviewTaskId}).`,
    });
    if (review === 'expired') return finish('expired', { reason: 'No reviewer decided before the deadline' });
    if (review.decision === 'reject') return finish('rejected', { actor: review.decidedBy, reason: review.reason });
    if (review.decision === 'approve') break;
    changesRequested = true;
    deadlineAt = Date.now() + rules.evidenceDeadlineDays * DAY_MS;
    await transition('awaiting-evidence', { actor: review.decidedBy, reason: review.reason });
    await notice('changes-requested', { reason: review.reason });
  }

  const grantedAt = new Date();
  const catalogValidity = new Date(grantedAt);
  catalogValidity.setUTCMonth(catalogValidity.getUTCMonth() + rules.grantValidMonths);
  const award = await grantCompetency({
    ...run,
    actor: 'system',
    catalogVersionId: catalog.catalogVersionId,
    grantedAt: grantedAt.toISOString(),
    validUntil: catalogValidity.toISOString(),
  });
  state.status = 'granted';
  const level = (event: 'granted' | 'revoked' | 'expired', actor: string) => reevaluateLevel(run, competency.name, event, actor);
  await level('granted', 'system');

  // Held for the membership year; each renewal's re-verification moves the end, and only a revocation ends it early.
  const membershipYear = patched(GRANT_FOLLOWS_MEMBERSHIP_YEAR);
  let validUntil = membershipYear && award.validUntil ? Date.parse(award.validUntil) : catalogValidity.getTime();
  await notice('granted', { validUntil: new Date(validUntil).toISOString() });
  while (await condition(() => revocation !== undefined || reverified !== undefined, Math.max(1, validUntil - Date.now()))) {
    if (revocation) {
      revoked = await revokeCompetency({ ...run, actor: revocation.actor, reason: revocation.reason });
      state.status = 'revoked';
      const after = await level('revoked', revocation.actor);
      if (after.outcome === 'downgraded' && patched(REVOCATION_TELLS_MEMBERSHIP)) {
        await signalMembership(input.partnerId, membershipLevelChangedSignal, {
          level: after.level as LevelCode,
          cause: `${competency.name} revoked`,
        });
      }
      await notice('revoked', { reason: revocation.reason });
      return { status: 'revoked', points: award.points - revoked.reversedPoints };
    }
    validUntil = Date.parse(reverified!.validUntil);
    if (reverified!.passed) await notice('reverified', { validUntil: reverified!.validUntil });
    reverified = undefined;
  }
  await transition('expired', { reason: 'The grant reached the end of its validity; renewal re-verifies it' });
  await notice('expired', { reason: 'The grant reached the end of its validity without being re-verified' });
  // A grant that ends with its membership year changes no level mid-term: the renewal decided the next one.
  if (!membershipYear) await level('expired', 'system');
  return { status: 'expired', points: award.points };
}

/** The partner's level follows the grant, once per event of this run; only a revocation may lower it. */
function reevaluateLevel(run: CompetencyInput & { runId: string }, name: string, event: 'granted' | 'revoked' | 'expired', actor: string) {
  return reevaluatePartnerLevel({
    partnerId: run.partnerId,
    dedupeKey: `competency:${run.runId}:${event}`,
    actor,
    cause: `${name} ${event}`,
    asOf: new Date().toISOString(),
    mayLower: event === 'revoked',
  });
}
