import { allHandlersFinished, ApplicationFailure, condition, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import type { Activities } from '../../activities';
import type { SupportIncidentView } from '../../queries/benefits';
import type { NoticeKindCode } from '../../domain/notices';
import { DEFAULT_ACTIVITY_OPTIONS } from '../activity-options';
import { answerWhenRecorded } from '../update-answers';
import {
  type LicenseKeyInput,
  type LicenseKeyIssue,
  licenseKeyIssuedUpdate,
  resolveSupportIncidentUpdate,
  startSupportIncidentUpdate,
  SUPPORT_INCIDENT_NOT_IN_PROGRESS,
  SUPPORT_INCIDENT_NOT_OPEN,
  type SupportIncidentInput,
  type SupportIncidentOpening,
  supportIncidentOpenedUpdate,
  type SupportIncidentOutcome,
  type SupportIncidentTransition,
} from './definitions';

const { openSupportIncident, transitionSupportIncident, issueLicenseKey, notifyPartner } =
  proxyActivities<Activities>(DEFAULT_ACTIVITY_OPTIONS);

/** What the partner is told at each step staff take. */
function incidentNotice(incident: SupportIncidentView): { kind: NoticeKindCode; subject: string; body: string } {
  if (incident.status === 'in_progress') {
    return {
      kind: 'support-incident-in-progress',
      subject: `Support incident in progress: ${incident.subject}`,
      body: `Our support engineers have started on support incident ${incident.id} (${incident.product}).`,
    };
  }
  return {
    kind: 'support-incident-resolved',
    subject: `Support incident resolved: ${incident.subject}`,
    body: `Support incident ${incident.id} (${incident.product}) is resolved: ${incident.resolution ?? ''}`,
  };
}

/**
 * One Professional Support Incident ("response management"): opened on one unit of a counted
 * benefit, or refused when none is left; then staff take it on and resolve it through updates,
 * each step recorded and told to the partner. The opening answers the API's update-with-start.
 */
export async function supportIncidentWorkflow(input: SupportIncidentInput): Promise<SupportIncidentOutcome> {
  const { incidentId } = input;
  let opening: SupportIncidentOpening | undefined;
  answerWhenRecorded(supportIncidentOpenedUpdate, () => opening);

  let incident: SupportIncidentView | undefined;
  /** A step under way: a second request meanwhile is refused rather than run twice. */
  let moving = false;
  const refused = (type: string, state: string) =>
    ApplicationFailure.nonRetryable(`This support incident is ${state.replace('_', ' ')}`, type);
  const toAnnounce: SupportIncidentView[] = [];
  const step = <Args extends { actor: string }>(
    update: UpdateDefinition<SupportIncidentView, [Args]>,
    move: Pick<SupportIncidentTransition, 'from' | 'to'>,
    refusal: string,
  ) =>
    setHandler<SupportIncidentView, [Args], typeof update>(
      update,
      async (request) => {
        moving = true;
        try {
          // Staff may act the moment the incident is on record, before the workflow has heard so.
          await condition(() => opening !== undefined);
          if (incident?.status !== move.from) throw refused(refusal, incident?.status ?? 'not open');
          incident = await transitionSupportIncident({ incidentId, ...move, ...request });
        } finally {
          moving = false;
        }
        toAnnounce.push(incident);
        return incident;
      },
      {
        validator: () => {
          if (moving) throw refused(refusal, 'being changed');
          if (incident && incident.status !== move.from) throw refused(refusal, incident.status);
        },
      },
    );
  step(startSupportIncidentUpdate, { from: 'open', to: 'in_progress' }, SUPPORT_INCIDENT_NOT_OPEN);
  step(resolveSupportIncidentUpdate, { from: 'in_progress', to: 'resolved' }, SUPPORT_INCIDENT_NOT_IN_PROGRESS);

  const opened = await openSupportIncident({ ...input, workflowId: workflowInfo().workflowId });
  if (opened.outcome === 'used') incident = opened.produced;
  opening = opened;
  if (opened.outcome !== 'used') {
    await condition(allHandlersFinished);
    return { incidentId, status: 'refused', refusal: opened.outcome };
  }

  for (;;) {
    await condition(() => toAnnounce.length > 0);
    const changed = toAnnounce.shift()!;
    await notifyPartner({
      dedupeKey: `support-incident:${incidentId}:${changed.status}`,
      partnerId: input.partnerId,
      ...incidentNotice(changed),
    });
    if (changed.status === 'resolved') break;
  }
  await condition(allHandlersFinished);
  return { incidentId, status: 'resolved' };
}

/**
 * One license key issued from a license benefit: its hash put on record on one unit, or refused
 * when none is left. The API holds the key itself and shows it once.
 */
export async function licenseKeyWorkflow(input: LicenseKeyInput): Promise<LicenseKeyIssue> {
  let issue: LicenseKeyIssue | undefined;
  answerWhenRecorded(licenseKeyIssuedUpdate, () => issue);
  issue = await issueLicenseKey(input);
  await condition(allHandlersFinished);
  return issue;
}
