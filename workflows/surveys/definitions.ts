import { defineUpdate } from '@temporalio/workflow';

export const surveyWorkflowId = (invitationId: string): string => `survey-${invitationId}`;

export interface SurveyInput {
  invitationId: string;
  partnerId: string;
  customerEmail: string;
  customerName: string;
}

export interface SurveyAnswer {
  scores: number[];
  comment: string | null;
}

export interface SurveyAnswerResult {
  customerSatisfactionIndex: number | null;
  pointsAwarded: number;
}

export type SurveyOutcome = { status: 'answered'; result: SurveyAnswerResult } | { status: 'expired' };

/** Failure type when the invitation was already answered or has expired; the API answers 409. */
export const SURVEY_CLOSED = 'SurveyClosed';

export const surveyAnsweredUpdate = defineUpdate<SurveyAnswerResult, [SurveyAnswer]>('surveyAnswered');
