import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';
import { NOT_BLANK_PATTERN } from './formats';

/** A human's reason for an action that others will read later (revocation, withdrawal). */
export class ReasonDto {
  @ApiProperty({ minLength: 1, maxLength: 2000, pattern: NOT_BLANK_PATTERN, description: 'Not blank' })
  @IsString()
  @Length(1, 2000)
  @Matches(new RegExp(NOT_BLANK_PATTERN), { message: 'must not be blank' })
  reason: string;
}
