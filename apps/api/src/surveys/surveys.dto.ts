import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { SatisfactionView } from '#queries/surveys';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsEmail, IsInt, IsString, Length, Matches, Max, Min } from 'class-validator';
import { MAX_EMAIL_LENGTH } from '../enrollments/enrollments.dto';
import { Optional } from '../common/validation';

const SURVEY_TOKEN = /^[A-Za-z0-9_-]{20,100}$/;

// Letters spelled as ranges (Latin, Greek, Cyrillic, Hebrew, Arabic, Devanagari, kana, CJK, Hangul), not \p{L}: the
// pattern is also the OpenAPI document's, and JSON Schema tools outside JavaScript read it.
const LETTER =
  'A-Za-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u024F\\u0370-\\u03FF\\u0400-\\u04FF\\u0590-\\u05FF\\u0600-\\u06FF\\u0900-\\u097F\\u3040-\\u30FF\\u4E00-\\u9FFF\\uAC00-\\uD7AF';
const WORD = `[${LETTER}][${LETTER}'\\u2019-]*\\.?`;
/**
 * A person's name and nothing else: words of letters (with apostrophes and hyphens), an initial's
 * period, single spaces. The mail goes to a customer the program does not know, so a partner
 * cannot write into it: no links, addresses, digits or line breaks.
 */
const PERSON_NAME = new RegExp(`^${WORD}(?: ${WORD})*$`);

export class InviteCustomerDto {
  @ApiProperty({
    example: 'Bea Buyer',
    minLength: 1,
    maxLength: 100,
    pattern: PERSON_NAME.source,
    description: "The customer's name as the mail greets them",
  })
  @IsString()
  @Length(1, 100)
  @Matches(PERSON_NAME, { message: 'must be a person’s name: letters, spaces, apostrophes, hyphens and initials only' })
  customerName: string;

  @ApiProperty({ example: 'bea@customer.example', format: 'email', minLength: 3, maxLength: MAX_EMAIL_LENGTH })
  @IsEmail()
  @Length(3, MAX_EMAIL_LENGTH)
  customerEmail: string;
}

export class SurveyInvitedDto {
  @ApiProperty() invitationId: string;
  @ApiProperty() workflowId: string;
  @ApiProperty({ example: 'sending' }) status: string;
}

export class SurveyResponseDto {
  @ApiProperty({ description: 'The single-use token from the invitation mail', pattern: SURVEY_TOKEN.source })
  @IsString()
  @Matches(SURVEY_TOKEN, { message: 'must be the token from the invitation' })
  token: string;

  @ApiProperty({
    type: 'array',
    items: { type: 'integer', minimum: 1, maximum: 10 },
    minItems: 1,
    maxItems: 20,
    example: [5, 4, 5],
    description: "Answers on the catalog's scale (1 to 5 by default), one per question of the catalog; others are 422",
  })
  @IsArray()
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(10, { each: true })
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  scores: number[];

  @ApiPropertyOptional({ maxLength: 2000 })
  @Optional()
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
