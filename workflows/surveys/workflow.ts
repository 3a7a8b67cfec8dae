import { ApplicationFailure, allHandlersFinished, condition, proxyActivities, setHandler } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { DAY_MS } from '../../domain/time';
import { DEFAULT_ACTIVITY_OPTIONS } from '../activity-options';
import {
  SURVEY_CLOSED,
  type SurveyAnswer,
  type SurveyAnswerResult,
  type SurveyInput,
  type SurveyOutcome,
  surveyAnsweredUpdate,
} from './definitions';

const { loadCatalogInForce, sendSurveyInvitation, recordSurveyAnswer, expireSurveyInvitation } =
  proxyActivities<Activities>(DEFAULT_ACTIVITY_OPTIONS);

/**
 * One customer survey: mail a single-use link to the customer (never to the partner), take
 * one answer before the link expires, and recompute the partner's Customer Satisfaction Index.
 */
export async function surveyWorkflow(input: SurveyInput): Promise<SurveyOutcome> {
  let open = false;
  let answer: SurveyAnswer | undefined;
  let result: SurveyAnswerResult | undefined;
  setHandler(
    surveyAnsweredUpdate,
    async (submitted) => {
      answer = submitted;
      await condition(() => result !== undefined);
      return result!;
    },
    {
      validator: (_answer: SurveyAnswer) => {
        if (!open || answer) throw ApplicationFailure.nonRetryable('This survey is closed', SURVEY_CLOSED);
      },
    },
  );

  const catalog = await loadCatalogInForce();
  const validDays = catalog.rules.customerSatisfaction.surveyValidDays;
  // Open before the mail goes: the customer may answer the moment it arrives, before this
  // workflow hears that the sending activity completed. Only the mail carries the token.
  open = true;
  await sendSurveyInvitation({ ...input, expiresAt: new Date(Date.now() + validDays * DAY_MS).toISOString() });
  if (!(await condition(() => answer !== undefined, validDays * DAY_MS))) {
    open = false;
    await expireSurveyInvitation(input.invitationId);
    return { status: 'expired' };
  }
  result = await recordSurveyAnswer({ invitationId: input.invitationId, partnerId: input.partnerId, ...answer! });
  await condition(allHandlersFinished);
  return { status: 'answered', result };
}
