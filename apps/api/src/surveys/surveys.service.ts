import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { hashApiKey } from '../../../../lib/api-keys';
import { surveyAnsweredUpdate, surveyWorkflowId } from '../../../../workflows/survey/definitions';
import type { surveyWorkflow } from '../../../../workflows/survey/workflow';
import { assertPartnerAccess, type Principal } from '../auth/principal';
import { badRequest, conflict, notFound } from '../common/api-error';
import { PrismaService } from '../database/prisma.service';
import { PointsService } from '../points/points.service';
import { TemporalService } from '../temporal/temporal.module';
import type { InviteCustomerDto, SurveyInvitedDto, SurveyResponseDto } from './surveys.dto';

const closed = () => conflict('survey_closed', 'This survey was already answered or has expired');

@Injectable()
export class SurveysService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly temporal: TemporalService,
    private readonly points: PointsService,
  ) {}

  async invite(principal: Principal, partnerId: string, body: InviteCustomerDto): Promise<SurveyInvitedDto> {
    assertPartnerAccess(principal, partnerId, 'Partner');
    const partner = await this.prisma.partner.findUnique({ where: { id: partnerId }, select: { status: true } });
    if (!partner) throw notFound('Partner');
    if (partner.status !== 'active') throw conflict('partner_not_active', `A ${partner.status} partner cannot survey customers`);
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
    const { scale } = (await this.points.catalogInForce()).rules.customerSatisfaction;
    if (body.scores.some((score) => score > scale)) {
      throw badRequest('The answer is not valid', [
        { field: 'scores', reason: `each answer must be from 1 to ${scale}`, code: 'out_of_scale' },
      ]);
    }
    const invitation = await this.prisma.surveyInvitation.findUnique({ where: { tokenHash: hashApiKey(body.token) } });
    if (!invitation) throw notFound('Survey');
    if (invitation.status !== 'sent') throw closed();
    // A second answer racing this one is refused by the update's validator: 409 survey_closed.
    await this.temporal.client.workflow
      .getHandle(invitation.workflowId)
      .executeUpdate(surveyAnsweredUpdate, { args: [{ scores: body.scores, comment: body.comment ?? null }] });
    return { status: 'recorded' };
  }
}
