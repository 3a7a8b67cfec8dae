import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { LEVEL_CODES } from '#domain/catalog';
import { PARTNER_STATUSES } from '#domain/partners';
import type { PartnerView } from '#queries/partners';
import { OfficeDto } from '../locations/locations.dto';
import { MembershipDto } from '../renewals/renewals.dto';

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
  @ApiPropertyOptional({ nullable: true, type: MembershipDto, description: 'The current term and where its renewal stands' })
  membership: MembershipDto | null;
  @ApiProperty({ type: [OfficeDto] }) locations: OfficeDto[];
  @ApiProperty() createdAt: string;
}

export class WithdrawalAcceptedDto {
  @ApiProperty() workflowId: string;
  @ApiProperty({ example: 'withdrawing' }) status: string;
}
