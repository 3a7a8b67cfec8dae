import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, Length } from 'class-validator';

export const ISSUABLE_ROLES = ['reviewer', 'admin'] as const;
export type IssuableRole = (typeof ISSUABLE_ROLES)[number];

export class CreateApiKeyDto {
  @ApiProperty({ enum: ISSUABLE_ROLES })
  @IsIn(ISSUABLE_ROLES)
  role: IssuableRole;

  @ApiProperty({ example: 'Jane Reviewer', minLength: 1, maxLength: 100 })
  @IsString()
  @Length(1, 100)
  name: string;
}

export class CreatedApiKeyDto {
  @ApiProperty()
  id: string;

  @ApiProperty({ enum: ISSUABLE_ROLES })
  role: IssuableRole;

  @ApiProperty()
  name: string;

  @ApiProperty({ description: 'Shown only in this response; only its hash is stored.' })
  apiKey: string;
}
