import { defineUpdate } from '@temporalio/workflow';
import type { UseRefusal } from '../../domain/benefits';
import type { IssuedLicenseKeyView, SupportIncidentView } from '../../queries/benefits';

/**
 * Using a counted or license benefit. One workflow per use, its id from the partner and the
 * request id reserved under the caller's Idempotency-Key, so a repeated request finds it. The API
 * starts it and asks for its answer in one call (update-with-start); the activity that takes the
 * unit answers, in the same transaction, what the use produced or why it took none.
 */

/** One support incident: opened against a counted benefit, then moved by staff to resolved. */
export const supportIncidentWorkflowId = (partnerId: string, requestId: string): string => `support-incident-${partnerId}-${requestId}`;

/** One license key issued from a license benefit. */
export const licenseKeyWorkflowId = (partnerId: string, requestId: string): string => `license-key-${partnerId}-${requestId}`;

/** What every use names: the partner, the benefit, who asked (the partner's key or staff on its behalf). */
export interface BenefitUseRequest {
  partnerId: string;
  benefitCode: string;
  requestedBy: string;
}

export interface SupportIncidentInput extends BenefitUseRequest {
  /** The request id: also the incident's id. */
  incidentId: string;
  subject: string;
  description: string;
  product: string;
}

/**
 * A license key to issue. The API made the key and keeps it: only its hash and last characters
 * come here, so no workflow history, activity input or database row ever holds the key itself.
 */
export interface LicenseKeyInput extends BenefitUseRequest {
  /** The request id: also the key's id. */
  licenseKeyId: string;
  keyHash: string;
  lastChars: string;
  note: string | null;
}

/** What a use came to: the thing it produced from one unit, or why it took none. */
export type BenefitUseOutcome<Produced> = { outcome: 'used'; produced: Produced } | { outcome: UseRefusal };

export type SupportIncidentOpening = BenefitUseOutcome<SupportIncidentView>;
/** With the hash on record, which tells the API whether the key it holds is the one issued (a repeat's is not). */
export type LicenseKeyIssue = BenefitUseOutcome<IssuedLicenseKeyView & { keyHash: string }>;

/** Answers the opening once it is on record; every repeat of the request gets the same answer. */
export const supportIncidentOpenedUpdate = defineUpdate<SupportIncidentOpening>('supportIncidentOpened');
export const licenseKeyIssuedUpdate = defineUpdate<LicenseKeyIssue>('licenseKeyIssued');

/** Staff take an open incident on (`in_progress`), then resolve it. */
export interface SupportIncidentStart {
  actor: string;
}

export interface SupportIncidentResolution {
  actor: string;
  resolution: string;
}

export const startSupportIncidentUpdate = defineUpdate<SupportIncidentView, [SupportIncidentStart]>('startSupportIncident');
export const resolveSupportIncidentUpdate = defineUpdate<SupportIncidentView, [SupportIncidentResolution]>('resolveSupportIncident');

/** Failure types of a transition the incident's state does not allow (or one already under way); the API answers 409. */
export const SUPPORT_INCIDENT_NOT_OPEN = 'SupportIncidentNotOpen';
export const SUPPORT_INCIDENT_NOT_IN_PROGRESS = 'SupportIncidentNotInProgress';

export interface SupportIncidentOutcome {
  incidentId: string;
  /** `refused`: no unit was left (or none usable), so no incident was opened. */
  status: 'resolved' | 'refused';
  refusal?: UseRefusal;
}

/** What the transition activity is asked: move the incident from one state to the next. */
export interface SupportIncidentTransition {
  incidentId: string;
  from: 'open' | 'in_progress';
  to: 'in_progress' | 'resolved';
  actor: string;
  resolution?: string;
}
