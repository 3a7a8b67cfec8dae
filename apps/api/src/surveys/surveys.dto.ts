import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsEmail, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';

export class InviteCustomerDto {
  @ApiProperty({ example: 'Bea Buyer' })
  @IsString()
  @Length(1, 200)
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
