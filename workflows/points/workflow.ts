import { getExternalWorkflowHandle, patched, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { DEFAULT_ACTIVITY_OPTIONS } from '../activity-options';
import { noticePartnerSince } from '../partner-notices';
import { awardDate, EVIDENCE_POINT_SOURCE, evidencePoints } from '../../domain/points';
import type { LedgerEntryView } from '../../queries/points';
import { evidenceChangedSignal } from '../competencies/definitions';
import { ReviewGate } from '../reviews/review-gate';
import { type EvidenceInput, type EvidenceOutcome, LEDGER_EXPIRY_BATCH, type LedgerCorrectionInput } from './definitions';

const { loadCatalogInForce, recordEvidence, settleEvidence, listWaitingCompetencyWorkflows, recordPointCorrection, recordLedgerExpiries } =
  proxyActivities<Activities>(DEFAULT_ACTIVITY_OPTIONS);

/** Histories recorded before competency verification existed end right after settling. */
const SIGNALS_COMPETENCY_VERIFICATIONS = 'evidence-signals-competency-verifications';
/** Before notices had templates, the partner heard of a reviewer's decision on its evidence only through the API. */
const EVIDENCE_NOTICES_PARTNER = 'evidence-notices-partner';

/** New verified evidence may meet a competency's requirements: wake the verifications waiting on it. */
async function signalWaitingVerifications(partnerId: string): Promise<void> {
  const waiting = await listWaitingCompetencyWorkflows(partnerId);
  await Promise.all(
    waiting.map((workflowId) =>
      // A verification that ended meanwhile has nothing to wake.
      getExternalWorkflowHandle(workflowId)
        .signal(evidenceChangedSignal)
        .catch(() => undefined),
    ),
  );
}

/**
 * Evidence: value it under the catalog in force, record it, have a reviewer verify it where the
 * catalog asks for that, and award its points to the ledger once verified.
 */
export async function evidenceWorkflow(input: EvidenceInput): Promise<EvidenceOutcome> {
  const { workflowId } = workflowInfo();
  const gate = new ReviewGate();
  const catalog = await loadCatalogInForce();
  const source = catalog.pointSources.find((candidate) => candidate.code === EVIDENCE_POINT_SOURCE[input.kind]);
  const points = source ? evidencePoints(input.kind, input.details, source) : 0;
  const requiresReview = source?.requiresReview ?? true;
  const settle = async (status: 'verified' | 'rejected' | 'expired', actor: string, reason = ''): Promise<EvidenceOutcome> => {
    await settleEvidence({
      evidenceId: input.evidenceId,
      workflowId,
      status,
      actor,
      award:
        status === 'verified' && source && points > 0
          ? {
              sourceCode: source.code,
              points,
              catalogVersionId: catalog.catalogVersionId,
              occurredAt: awardDate(input.activityAt, new Date().toISOString()),
              locationId: input.locationId,
            }
          : null,
    });
    if (status === 'verified' && patched(SIGNALS_COMPETENCY_VERIFICATIONS)) await signalWaitingVerifications(input.partnerId);
    // Evidence verified on receipt was answered in the request that sent it; a reviewer's decision comes later.
    if (status !== 'expired' && actor !== 'system') {
      await noticePartnerSince(EVIDENCE_NOTICES_PARTNER, {
        dedupeKey: `evidence:${workflowId}:${status}`,
        kind: `evidence-${status}`,
        partnerId: input.partnerId,
        facts: { evidenceKind: input.kind.replace(/-/g, ' '), points, reason },
        path: `/v1/partners/${input.partnerId}/evidence`,
      });
    }
    return { status, points: status === 'verified' ? points : 0 };
  };

  await recordEvidence({
    ...input,
    workflowId,
    status: requiresReview ? 'pending_review' : 'verified',
    points,
    catalogVersionId: catalog.catalogVersionId,
  });
  if (!requiresReview) return settle('verified', 'system');

  const deadline = catalog.rules.evidenceReview;
  const { reviewTaskId } = await gate.open(
    {
      kind: 'evidence',
      partnerId: input.partnerId,
      subjectId: input.evidenceId,
      summary: `${input.kind} evidence worth ${points} points under catalog ${catalog.catalogVersionId}`,
    },
    deadline,
  );
  const review = await gate.decide(deadline, {
    partnerId: input.partnerId,
    subject: 'Evidence awaits verification',
    body: `${input.kind} evidence ${input.evidenceId} awaits a decision (review ${reviewTaskId}).`,
  });
  if (review === 'expired') return settle('expired', 'system');
  return settle(review.decision === 'approve' ? 'verified' : 'rejected', review.decidedBy, review.reason);
}

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
