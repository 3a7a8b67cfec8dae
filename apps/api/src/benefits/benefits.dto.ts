import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { BENEFIT_KINDS, BENEFIT_STAGES } from '#domain/catalog';
import type { BenefitsView, EntitlementView, LicenseKeyView } from '#queries/benefits';

const ENTITLEMENT_SOURCES = ['level', 'competency', 'designation', 'purchase'];
const ENTITLEMENT_STATES = ['upcoming', 'active', 'grace', 'ended'];

export class BenefitsQuery {
  @ApiPropertyOptional({ enum: BENEFIT_STAGES, description: 'Only the entitlements of this business-cycle stage' })
  @IsOptional()
  @IsIn(BENEFIT_STAGES)
  stage?: (typeof BENEFIT_STAGES)[number];
}

export class LicenseKeyDto implements LicenseKeyView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ description: "The key's last characters; the key was shown once, when issued" }) lastChars: string;
  @ApiProperty({ format: 'date-time' }) issuedAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) revokedAt: string | null;
}

export class EntitlementDto implements EntitlementView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() benefitCode: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: BENEFIT_STAGES }) stage: string;
  @ApiProperty({ enum: BENEFIT_KINDS }) kind: string;
  @ApiProperty({ enum: ENTITLEMENT_SOURCES }) source: string;
  @ApiProperty({ nullable: true, type: String, description: 'The competency or designation code, or the purchase id' })
  sourceRef: string | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Units for the term; null when not counted' }) quantity: number | null;
  @ApiProperty() used: number;
  @ApiProperty({ nullable: true, type: Number }) remaining: number | null;
  @ApiProperty({ enum: ENTITLEMENT_STATES, description: 'grace: online access kept after the term ended unpaid' })
  state: EntitlementView['state'];
  @ApiProperty({ format: 'date-time' }) validFrom: string;
  @ApiProperty({ format: 'date-time' }) validUntil: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) graceUntil: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) endedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) endReason: string | null;
  @ApiPropertyOptional({ type: [LicenseKeyDto], description: 'License benefits only: the keys issued, masked' })
  licenseKeys?: LicenseKeyDto[];
}

export class BenefitsDto implements BenefitsView {
  @ApiProperty({ format: 'uuid' }) partnerId: string;
  @ApiProperty({ nullable: true, type: Number }) termNumber: number | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) termStart: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) termEnd: string | null;
  @ApiProperty({ nullable: true, type: String }) membershipStatus: string | null;
  @ApiProperty({ format: 'date-time' }) asOf: string;
  @ApiProperty({ type: [EntitlementDto] }) entitlements: EntitlementDto[];
}
