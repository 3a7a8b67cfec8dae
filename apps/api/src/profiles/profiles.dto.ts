import { ApiProperty, ApiPropertyOptional, PartialType, PickType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsObject, IsString, Length, Matches, ValidateNested } from 'class-validator';
import type { ProfileView } from '#queries/profiles';
import { LANGUAGE_CODES, PLAIN_TEXT_PATTERN, SERVICE_AREA_PATTERN } from '../common/formats';
import { Optional } from '../common/validation';
import { ContactDto, OrganizationDto } from '../enrollments/enrollments.dto';

/** The profile's fields: those enrollment captures, checked as enrollment checks them, and the profile's own. */
class ProfileFieldsDto extends PickType(OrganizationDto, ['website', 'industries', 'customerSizes', 'technologies'] as const) {
  @ApiProperty({
    example: 'Retail analytics on SQL Server for small businesses across the UK.',
    description: 'Plain text shown in the Solution Finder: line feeds allowed, no other control characters, no < or >',
    minLength: 0,
    maxLength: 2000,
    pattern: PLAIN_TEXT_PATTERN,
  })
  @IsString()
  @Length(0, 2000)
  @Matches(new RegExp(PLAIN_TEXT_PATTERN), { message: 'must be plain text: no control characters but line feeds, no < or >' })
  description: string;

  @ApiProperty({ type: [String], example: ['en', 'de'], maxItems: 20, items: { type: 'string', enum: [...LANGUAGE_CODES] } })
  @IsArray()
  @ArrayMaxSize(20)
  @IsIn(LANGUAGE_CODES, { each: true, message: 'each value must be an ISO 639-1 language code (lower case)' })
  languages: string[];

  @ApiProperty({
    type: [String],
    example: ['GB', 'IE', 'DE-BY'],
    description: 'Countries (ISO 3166-1 alpha-2) and regions (ISO 3166-2) served beyond the offices',
    maxItems: 100,
    items: { type: 'string', pattern: SERVICE_AREA_PATTERN },
  })
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @Matches(new RegExp(SERVICE_AREA_PATTERN), {
    each: true,
    message: 'each value must be an upper-case ISO 3166-1 alpha-2 country code or an ISO 3166-2 region code of one',
  })
  serviceAreas: string[];

  @ApiProperty({ description: 'Shown in the Solution Finder (while its level is listed); false opts out' })
  @IsBoolean()
  listed: boolean;
}

/** Any of the contact's fields; a field sent as null is refused like any other wrong value. */
class UpdateContactDto extends PartialType(ContactDto, { skipNullProperties: false }) {}

/** Any of the profile's fields: only those given change. */
export class UpdateProfileDto extends PartialType(ProfileFieldsDto, { skipNullProperties: false }) {
  @ApiPropertyOptional({ type: UpdateContactDto, description: 'Who the program writes to, and where its notices go' })
  @Optional()
  @IsObject()
  @ValidateNested()
  @Type(() => UpdateContactDto)
  contact?: UpdateContactDto;
}

/** The contact as the profile shows it: a schema of its own, so that the request's `ContactDto` stays closed to unknown fields. */
class ProfileContactDto extends PickType(ContactDto, ['name', 'email'] as const) {}

export class ProfileDto extends ProfileFieldsDto implements ProfileView {
  @ApiProperty() partnerId: string;
  @ApiProperty({ type: ProfileContactDto }) contact: ProfileContactDto;
  @ApiProperty({ type: [String], description: 'Notice kinds the partner muted; change them at /v1/partners/{id}/notification-preferences' })
  mutedNotices: string[];
}
