import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';

/** A human's reason for an action that others will read later (revocation, withdrawal). */
export class ReasonDto {
  @ApiProperty({ maxLength: 2000 })
  @IsString()
  @Length(1, 2000)
  @Matches(/\S/, { message: 'must not be blank' })
  reason: string;
}
