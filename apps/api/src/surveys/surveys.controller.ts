import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Public, Roles } from '../auth/principal';
import { uuidParam } from '../common/params';
import { InviteCustomerDto, SatisfactionDto, SurveyInvitedDto, SurveyResponseDto } from './surveys.dto';
import { SurveysService } from './surveys.service';

@ApiTags('surveys')
@Controller('v1')
export class SurveysController {
  constructor(private readonly surveys: SurveysService) {}

  @Post('partners/:id/surveys')
  @ApiBearerAuth()
  @Roles('partner', 'admin')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Invite a customer to a satisfaction survey; the single-use link goes to the customer only' })
  @ApiAcceptedResponse({ type: SurveyInvitedDto })
  invite(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuidParam()) id: string,
    @Body() body: InviteCustomerDto,
  ): Promise<SurveyInvitedDto> {
    return this.surveys.invite(principal, id, body);
  }

  @Get('partners/:id/satisfaction')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The Customer Satisfaction Index over the points window, per question, with the invitations' })
  @ApiOkResponse({ type: SatisfactionDto })
  satisfaction(@CurrentPrincipal() principal: Principal, @Param('id', uuidParam()) id: string): Promise<SatisfactionDto> {
    return this.surveys.satisfaction(principal, id);
  }

  @Post('surveys/responses')
  @Public()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: "A customer's answer, with the token from the invitation (public, single use)" })
  @ApiOkResponse({ schema: { example: { status: 'recorded' } } })
  answer(@Body() body: SurveyResponseDto): Promise<{ status: 'recorded' }> {
    return this.surveys.answer(body);
  }
}
