import { randomUUID } from 'node:crypto';
import { HttpStatus, Injectable } from '@nestjs/common';
import { hashApiKey } from '#lib/api-keys';
import { emailDomain, partnerDomains } from '#domain/points';
import { DAY_MS } from '#domain/time';
import { findInvitationByTokenHash, findSatisfaction, invitationsSince, type SatisfactionView } from '#queries/surveys';
import { surveyAnsweredUpdate, surveyWorkflowId } from '#workflows/surveys/definitions';
import type { surveyWorkflow } from '#workflows/surveys/workflow';
import { PartnerAccess } from '../auth/partner-access.service';
import type { Principal } from '../auth/principal';
import { CatalogService } from '../catalog/catalog.service';
import { ApiError, conflict, notFound } from '../common/api-error';
import { PrismaService } from '../database/prisma.service';
import { TemporalService } from '../temporal/temporal.module';
import type { InviteCustomerDto, SurveyInvitedDto, SurveyResponseDto } from './surveys.dto';

/** One code for a closed survey, as before; the message says why, and the survey page shows it. */
const closed = (status: string) =>
  conflict('survey_closed', status === 'answered' ? 'This survey was already answered' : 'This survey has expired');

@Injectable()
export class SurveysService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly temporal: TemporalService,
    private readonly access: PartnerAccess,
    private readonly catalog: CatalogService,
  ) {}

  async invite(principal: Principal, partnerId: string, body: InviteCustomerDto): Promise<SurveyInvitedDto> {
    const partner = await this.access.requireActivePartner(principal, partnerId, 'survey customers');
    const rules = (await this.catalog.inForce()).rules.customerSatisfaction;
    if (partnerDomains(partner).includes(emailDomain(body.customerEmail))) {
      throw new ApiError(HttpStatus.UNPROCESSABLE_ENTITY, 'own_domain_recipient', 'A partner cannot survey itself', [
        { field: 'customerEmail', reason: "is at one of the partner's own domains", code: 'own_domain_recipient' },
      ]);
    }
    if (rules.invitationPeriodDays) {
      const since = new Date(Date.now() - rules.invitationPeriodDays * DAY_MS);
      const sent = await invitationsSince(this.prisma, partnerId, since, body.customerEmail);
      if (sent.toRecipient > 0) {
        throw conflict(
          'already_invited',
          `This customer was invited in the last ${rules.invitationPeriodDays} days; one invitation per customer a period`,
        );
      }
      if (rules.invitationsPerPeriod !== undefined && sent.total >= rules.invitationsPerPeriod) {
        throw conflict(
          'invitation_limit_reached',
          `${rules.invitationsPerPeriod} invitations in ${rules.invitationPeriodDays} days is the limit`,
        );
      }
    }
    const invitationId = randomUUID();
    const workflowId = surveyWorkflowId(invitationId);
    await this.temporal.startOnce<typeof surveyWorkflow>('surveyWorkflow', workflowId, [
      { invitationId, partnerId, customerEmail: body.customerEmail, customerName: body.customerName },
    ]);
    return { invitationId, workflowId, status: 'sending' };
  }

  /** The customer's answer, authorised by the single-use token alone. */
  async answer(body: SurveyResponseDto): Promise<{ status: 'recorded' }> {
    const invitation = await findInvitationByTokenHash(this.prisma, hashApiKey(body.token));
    if (!invitation) throw notFound('Survey');
    // `pending_send` too: the mail may arrive before the activity records it sent, and a customer who
    // answers at once holds the token that went out (a retried send mints another and replaces the hash).
    // The workflow records the answer only after that activity. Past `expiresAt` the link is closed
    // even if the workflow's timer has not fired yet.
    if (!['sent', 'pending_send'].includes(invitation.status)) throw closed(invitation.status);
    if (invitation.expiresAt.getTime() <= Date.now()) throw closed('expired');
    // Well formed, but not what the catalog's questions take: the rules refuse it (400 is for what the schema states).
    const { scale, questions } = (await this.catalog.inForce()).rules.customerSatisfaction;
    if (body.scores.some((score) => score > scale)) {
      throw new ApiError(HttpStatus.UNPROCESSABLE_ENTITY, 'out_of_scale', 'The answer does not fit the survey', [
        { field: 'scores', reason: `each answer must be from 1 to ${scale}`, code: 'out_of_scale' },
      ]);
    }
    if (questions && body.scores.length !== questions.length) {
      throw new ApiError(HttpStatus.UNPROCESSABLE_ENTITY, 'question_count', 'The answer does not fit the survey', [
        {
          field: 'scores',
          reason: `must answer the ${questions.length} questions in order: ${questions.map((question) => question.code).join(', ')}`,
          code: 'question_count',
        },
      ]);
    }
    // A second answer racing this one is refused by the update's validator: 409 survey_closed.
    await this.temporal.update(invitation.workflowId, surveyAnsweredUpdate, [{ scores: body.scores, comment: body.comment ?? null }]);
    return { status: 'recorded' };
  }

  /** The partner's Customer Satisfaction Index over the points window, per question, with its invitations. */
  async satisfaction(principal: Principal, partnerId: string): Promise<SatisfactionView> {
    const [partner, catalog] = await Promise.all([this.access.requirePartner(principal, partnerId), this.catalog.inForce()]);
    const windowDays =
      catalog.pointSources.find((source) => source.code === 'customer-satisfaction')?.windowDays ?? catalog.rules.pointsWindowDays;
    return findSatisfaction(this.prisma, partner, catalog.rules.customerSatisfaction, windowDays, new Date());
  }
}
