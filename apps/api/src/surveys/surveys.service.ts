import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { hashApiKey } from '#lib/api-keys';
import { findInvitationByTokenHash } from '#queries/surveys';
import { surveyAnsweredUpdate, surveyWorkflowId } from '#workflows/surveys/definitions';
import type { surveyWorkflow } from '#workflows/surveys/workflow';
import { PartnerAccess } from '../auth/partner-access.service';
import type { Principal } from '../auth/principal';
import { CatalogService } from '../catalog/catalog.service';
import { badRequest, conflict, notFound } from '../common/api-error';
import { PrismaService } from '../database/prisma.service';
import { TemporalService } from '../temporal/temporal.module';
import type { InviteCustomerDto, SurveyInvitedDto, SurveyResponseDto } from './surveys.dto';

const closed = () => conflict('survey_closed', 'This survey was already answered or has expired');

@Injectable()
export class SurveysService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly temporal: TemporalService,
    private readonly access: PartnerAccess,
    private readonly catalog: CatalogService,
  ) {}

  async invite(principal: Principal, partnerId: string, body: InviteCustomerDto): Promise<SurveyInvitedDto> {
    await this.access.requireActivePartner(principal, partnerId, 'survey customers');
    const invitationId = randomUUID();
    const workflowId = surveyWorkflowId(invitationId);
    await this.temporal.client.workflow.start<typeof surveyWorkflow>('surveyWorkflow', {
      workflowId,
      taskQueue: this.temporal.taskQueue,
      args: [{ invitationId, partnerId, customerEmail: body.customerEmail, customerName: body.customerName }],
    });
    return { invitationId, workflowId, status: 'sending' };
  }

  /** The customer's answer, authorised by the single-use token alone. */
  async answer(body: SurveyResponseDto): Promise<{ status: 'recorded' }> {
    const { scale } = (await this.catalog.inForce()).rules.customerSatisfaction;
    if (body.scores.some((score) => score > scale)) {
      throw badRequest('The answer is not valid', [
        { field: 'scores', reason: `each answer must be from 1 to ${scale}`, code: 'out_of_scale' },
      ]);
    }
    const invitation = await findInvitationByTokenHash(this.prisma, hashApiKey(body.token));
    if (!invitation) throw notFound('Survey');
    if (invitation.status !== 'sent') throw closed();
    // A second answer racing this one is refused by the update's validator: 409 survey_closed.
    await this.temporal.client.workflow
      .getHandle(invitation.workflowId)
      .executeUpdate(surveyAnsweredUpdate, { args: [{ scores: body.scores, comment: body.comment ?? null }] });
    return { status: 'recorded' };
  }
}
