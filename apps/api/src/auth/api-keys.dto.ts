import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsEmail, IsIn, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { REVIEW_KINDS, type ReviewKind } from '#domain/reviews';
import { API_KEY_ROLES, type ApiKeyRole } from '#lib/api-keys';
import { API_KEY_STATES, type ApiKeyState, type ApiKeyView } from '#queries/api-keys';
import { UUID_PATTERN } from '../common/formats';
import { MAX_EMAIL_LENGTH } from '../enrollments/enrollments.dto';
import { PageOf, PageQuery } from '../common/pagination';

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

  @ApiPropertyOptional({
    example: 'jane@vendor.example',
    format: 'email',
    minLength: 3,
    maxLength: MAX_EMAIL_LENGTH,
    description: 'Where notices of new review tasks and reminders go; without one the person hears nothing by mail',
  })
  @IsOptional()
  @IsString()
  @Length(3, MAX_EMAIL_LENGTH)
  @IsEmail()
  email?: string;

  @ApiPropertyOptional({
    type: [String],
    items: { type: 'string', enum: [...REVIEW_KINDS] },
    uniqueItems: true,
    maxItems: REVIEW_KINDS.length,
    description: 'The review kinds whose notices this person receives; absent or empty: every kind',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(REVIEW_KINDS.length)
  @ArrayUnique()
  @IsIn(REVIEW_KINDS, { each: true })
  reviewKinds?: ReviewKind[];
}

export class CreatedApiKeyDto {
  @ApiProperty()
  id: string;

  @ApiProperty({ enum: ISSUABLE_ROLES })
  role: IssuableRole;

  @ApiProperty()
  name: string;

  @ApiProperty({ nullable: true, type: String, format: 'email' })
  email: string | null;

  @ApiProperty({ type: [String], items: { type: 'string', enum: [...REVIEW_KINDS] } })
  reviewKinds: string[];

  @ApiProperty({ description: 'Shown only in this response; only its hash is stored.' })
  apiKey: string;
}

export class ListApiKeysQuery extends PageQuery {
  @ApiPropertyOptional({ enum: API_KEY_ROLES })
  @IsOptional()
  @IsIn(API_KEY_ROLES)
  role?: ApiKeyRole;

  @ApiPropertyOptional({ format: 'uuid', pattern: UUID_PATTERN, description: 'Only this partner’s keys (admin)' })
  @IsOptional()
  @IsUUID()
  partnerId?: string;
}

export class ApiKeyDto implements ApiKeyView {
  @ApiProperty({ example: '3f2a9c0d1e4b5a67' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: API_KEY_ROLES }) role: ApiKeyRole;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) partnerId: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'email' }) email: string | null;
  @ApiProperty({ type: [String], items: { type: 'string', enum: [...REVIEW_KINDS] }, description: 'Empty: every kind' })
  reviewKinds: string[];
  @ApiProperty({ example: 'ppk_3f2a9c0d1e4b5a67_…', description: 'The key’s prefix and id; its secret part is never shown again' })
  masked: string;
  @ApiProperty({ enum: API_KEY_STATES, description: '`expiring`: rotated out, working until `expiresAt`' }) state: ApiKeyState;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) expiresAt: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) revokedAt: string | null;
}

export class ApiKeyPageDto extends PageOf(ApiKeyDto) {}

export class RotatedApiKeyDto {
  @ApiProperty() id: string;
  @ApiProperty({ format: 'uuid' }) partnerId: string;
  @ApiProperty({ description: 'The new key, shown only in this response; only its hash is stored.' }) apiKey: string;
  @ApiProperty({ type: [ApiKeyDto], description: 'The partner’s earlier keys, each working until its `expiresAt`' })
  previousKeys: ApiKeyDto[];
}
