import { Body, Controller, Get, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Public, Roles } from '../auth/principal';
import { ApiErrorResponse, ApiErrors, ApiKeyRoutes } from '../common/api-responses';
import { UuidParam } from '../common/params';
import { InviteCustomerDto, SatisfactionDto, SurveyInvitedDto, SurveyResponseDto } from './surveys.dto';
import { SurveysService } from './surveys.service';

@ApiTags('surveys')
@Controller('v1')
export class SurveysController {
  constructor(private readonly surveys: SurveysService) {}

  @Post('partners/:id/surveys')
  @ApiKeyRoutes()
  @Roles('partner', 'admin')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Invite a customer to a satisfaction survey; the single-use link goes to the customer only' })
  @ApiAcceptedResponse({ type: SurveyInvitedDto })
  @ApiErrorResponse(409, 'partner_not_active, and the invitation limits of the catalog')
  @ApiErrorResponse(422, 'own_domain_recipient: a partner cannot survey itself')
  invite(@CurrentPrincipal() principal: Principal, @UuidParam() id: string, @Body() body: InviteCustomerDto): Promise<SurveyInvitedDto> {
    return this.surveys.invite(principal, id, body);
  }

  @Get('partners/:id/satisfaction')
  @ApiKeyRoutes()
  @ApiOperation({ summary: 'The Customer Satisfaction Index over the points window, per question, with the invitations' })
  @ApiOkResponse({ type: SatisfactionDto })
  satisfaction(@CurrentPrincipal() principal: Principal, @UuidParam() id: string): Promise<SatisfactionDto> {
    return this.surveys.satisfaction(principal, id);
  }

  @Post('surveys/responses')
  @Public()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: "A customer's answer, with the token from the invitation (public, single use)" })
  @ApiOkResponse({ schema: { type: 'object', properties: { status: { type: 'string', enum: ['recorded'] } }, required: ['status'] } })
  @ApiErrors([400, 429, 503])
  @ApiErrorResponse(404, 'not_found: no invitation has this token')
  @ApiErrorResponse(409, 'survey_closed: already answered or expired')
  @ApiErrorResponse(422, "out_of_scale, question_count: the answers do not fit the catalog's questions")
  answer(@Body() body: SurveyResponseDto): Promise<{ status: 'recorded' }> {
    return this.surveys.answer(body);
  }
}
