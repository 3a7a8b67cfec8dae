import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { SatisfactionView } from '#queries/surveys';
import { ArrayMaxSize, ArrayMinSize, IsEmail, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';

/**
 * A person's name and nothing else: words of letters (with apostrophes and hyphens), an initial's
 * period, single spaces. The mail goes to a customer the program does not know, so a partner
 * cannot write into it: no links, addresses, digits or line breaks.
 */
const PERSON_NAME = /^\p{L}[\p{L}\p{M}'’-]*\.?(?: \p{L}[\p{L}\p{M}'’-]*\.?)*$/u;

export class InviteCustomerDto {
  @ApiProperty({
    example: 'Bea Buyer',
    maxLength: 100,
    pattern: PERSON_NAME.source,
    description: "The customer's name as the mail greets them",
  })
  @IsString()
  @Length(1, 100)
  @Matches(PERSON_NAME, { message: 'must be a person’s name: letters, spaces, apostrophes, hyphens and initials only' })
  customerName: string;

  @ApiProperty({ example: 'bea@customer.example' })
  @IsEmail()
  @Length(3, 320)
  customerEmail: string;
}

export class SurveyInvitedDto {
  @ApiProperty() invitationId: string;
  @ApiProperty() workflowId: string;
  @ApiProperty({ example: 'sending' }) status: string;
}

export class SurveyResponseDto {
  @ApiProperty({ description: 'The single-use token from the invitation mail' })
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{20,100}$/, { message: 'must be the token from the invitation' })
  token: string;

  @ApiProperty({ type: [Number], example: [5, 4, 5], description: "Answers on the catalog's scale (1 to 5 by default)" })
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(10, { each: true })
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  scores: number[];

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @Length(0, 2000)
  comment?: string;
}

export class QuestionAverageDto {
  @ApiProperty({ example: 'overall' }) code: string;
  @ApiProperty() text: string;
  @ApiPropertyOptional({ nullable: true, type: Number, description: 'Mean answer on the catalog scale, two decimals' }) average:
    number | null;
  @ApiProperty() answers: number;
}

export class InvitationDto {
  @ApiProperty() id: string;
  @ApiProperty() customerEmail: string;
  @ApiProperty({ enum: ['pending_send', 'sent', 'answered', 'expired'] }) status: string;
  @ApiProperty() createdAt: string;
  @ApiProperty() expiresAt: string;
  @ApiPropertyOptional({ nullable: true, type: String }) answeredAt: string | null;
}

export class SatisfactionDto implements SatisfactionView {
  @ApiProperty() partnerId: string;
  @ApiProperty() asOf: string;
  @ApiProperty({ description: 'The trailing window the answers count in' }) windowDays: number;
  @ApiPropertyOptional({ nullable: true, type: Number, description: 'Customer Satisfaction Index, 0 to 100; null below minResponses' })
  index: number | null;
  @ApiProperty({ description: "Answers that count: not the partner's own domains" }) responses: number;
  @ApiProperty({ description: 'Distinct customer organizations (email domains) among them' }) organizations: number;
  @ApiProperty({ description: "Answers left out: from the partner's own domains" }) ownDomainResponses: number;
  @ApiProperty({ type: [QuestionAverageDto] }) perQuestion: QuestionAverageDto[];
  @ApiProperty({ description: 'Whether the index earns the catalog points now' }) earnsPoints: boolean;
  @ApiProperty() minResponses: number;
  @ApiProperty() minIndex: number;
  @ApiProperty() minDistinctOrganizations: number;
  @ApiProperty({ type: [InvitationDto], description: 'Invitations of the window, newest first' }) invitations: InvitationDto[];
}
