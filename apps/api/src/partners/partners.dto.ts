import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { LEVEL_CODES } from '#domain/catalog';
import { PARTNER_STATUSES } from '#domain/partners';
import type { PartnerView } from '#queries/partners';
import { HeldDesignationDto } from '../designations/designations.dto';
import { OfficeDto } from '../locations/locations.dto';
import { MembershipDto } from '../renewals/renewals.dto';

export class MissingItemDto {
  @ApiProperty({ enum: ['points', 'competencies', 'primaryLocation', 'programTerms'] }) requirement:
    'points' | 'competencies' | 'primaryLocation' | 'programTerms';
  @ApiProperty() have: number;
  @ApiProperty() need: number;
}

export class PartnerTargetDto {
  @ApiProperty({ enum: LEVEL_CODES }) level: string;
  @ApiProperty({ type: [MissingItemDto] }) missing: MissingItemDto[];
}

export class PartnerDto implements PartnerView {
  @ApiProperty() id: string;
  @ApiProperty() legalName: string;
  @ApiProperty() country: string;
  @ApiProperty() website: string;
  @ApiProperty({ type: [String] }) industries: string[];
  @ApiProperty({ type: [String] }) customerSizes: string[];
  @ApiProperty({ type: [String] }) technologies: string[];
  @ApiProperty({ enum: LEVEL_CODES }) level: string;
  @ApiProperty({ enum: PARTNER_STATUSES }) status: string;
  @ApiProperty() catalogVersionId: string;
  @ApiPropertyOptional({ nullable: true, type: String }) activatedAt: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'The partner that absorbed this one' })
  consolidatedIntoId: string | null;
  @ApiPropertyOptional({
    nullable: true,
    type: PartnerTargetDto,
    description: 'The level it enrolled for and joined below (at Registered), with what it still misses; null once reached',
  })
  target: PartnerTargetDto | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'The program terms version it accepted last' })
  termsVersion: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) termsAcceptedAt: string | null;
  @ApiPropertyOptional({ nullable: true, type: MembershipDto, description: 'The current term and where its renewal stands' })
  membership: MembershipDto | null;
  @ApiProperty({ type: [HeldDesignationDto], description: 'The designations it holds now, each valid for its membership year' })
  designations: HeldDesignationDto[];
  @ApiProperty({ type: [OfficeDto] }) locations: OfficeDto[];
  @ApiProperty() createdAt: string;
}

export class WithdrawalAcceptedDto {
  @ApiProperty() workflowId: string;
  @ApiProperty({ example: 'withdrawing' }) status: string;
}

export class AcceptTermsDto {
  @ApiProperty({
    example: 'PPA-2026-12',
    description: 'The program terms version in force (rules.programTerms.version of the catalog)',
    minLength: 1,
    maxLength: 100,
  })
  @IsString()
  @Length(1, 100)
  version: string;
}

export class TermsAcceptedDto {
  @ApiProperty() termsVersion: string;
  @ApiProperty() acceptedAt: string;
}
