import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional } from 'class-validator';
import { BENEFIT_KINDS, BENEFIT_STAGES } from '#domain/catalog';
import type { BenefitPrice } from '#domain/benefits';
import {
  type BenefitsView,
  type EntitlementView,
  type IssuedLicenseKeyView,
  type LicenseKeyView,
  SUPPORT_INCIDENT_STATUSES,
  type SupportIncidentStatus,
  type SupportIncidentView,
} from '#queries/benefits';
import { Text } from '../common/text';
import { Optional } from '../common/validation';
import { PageOf, PageQuery } from '../common/pagination';

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
  @ApiProperty({ nullable: true, type: String, description: 'What the partner said the key is for' }) note: string | null;
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

const SUBJECT = { maxLength: 200, description: 'What the incident is about, in one line', example: 'Replication stops after failover' };
const DESCRIPTION = { maxLength: 5000, description: 'What happens, what was tried, what is expected' };
const PRODUCT = { maxLength: 100, description: 'The product and version concerned', example: 'SQL Server 2025' };
const NOTE = { maxLength: 500, description: 'What the key is for, shown beside it on the benefits page', example: 'Demo lab, London' };

/** The body that opens a support incident on a counted benefit. */
export class SupportIncidentRequestDto {
  @Text(SUBJECT.maxLength, { ...SUBJECT, required: true }) subject: string;
  @Text(DESCRIPTION.maxLength, { ...DESCRIPTION, required: true }) description: string;
  @Text(PRODUCT.maxLength, { ...PRODUCT, required: true }) product: string;
}

/** The body that issues a license key from a license benefit: empty, or a note. */
export class LicenseKeyRequestDto {
  @Text(NOTE.maxLength, { ...NOTE, required: false }) note?: string;
}

/** The fields a support incident needs: all three, or none (a license key). */
export const SUPPORT_INCIDENT_FIELDS = ['subject', 'description', 'product'] as const;

/**
 * What the route validates: either body above. Which one a benefit takes depends on its kind,
 * known only once the benefit is found, so the fields are checked here one by one and their
 * combination by the service.
 */
export class BenefitUseRequestDto extends LicenseKeyRequestDto {
  @Text(SUBJECT.maxLength, { ...SUBJECT, required: false }) subject?: string;
  @Text(DESCRIPTION.maxLength, { ...DESCRIPTION, required: false }) description?: string;
  @Text(PRODUCT.maxLength, { ...PRODUCT, required: false }) product?: string;
}

export class SupportIncidentDto implements SupportIncidentView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) partnerId: string;
  @ApiProperty({ example: 'support-incidents-5' }) benefitCode: string;
  @ApiProperty({ format: 'uuid', description: 'The entitlement whose unit it used' }) entitlementId: string;
  @ApiProperty() subject: string;
  @ApiProperty() description: string;
  @ApiProperty() product: string;
  @ApiProperty({ enum: SUPPORT_INCIDENT_STATUSES }) status: SupportIncidentStatus;
  @ApiProperty({ description: "The API key that opened it: the partner's, or staff acting for it" }) openedBy: string;
  @ApiProperty({ nullable: true, type: String }) resolution: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) startedAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) resolvedAt: string | null;
}

export class SupportIncidentPageDto extends PageOf(SupportIncidentDto) {}

export class ListSupportIncidentsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: SUPPORT_INCIDENT_STATUSES })
  @IsOptional()
  @IsIn(SUPPORT_INCIDENT_STATUSES)
  status?: SupportIncidentStatus;
}

export class ResolveSupportIncidentDto {
  @Text(5000, { required: true, description: 'What was found and done; the partner reads it in the notice' }) resolution: string;
}

export class IssuedLicenseKeyDto extends LicenseKeyDto implements IssuedLicenseKeyView {
  @ApiProperty({ format: 'uuid' }) partnerId: string;
  @ApiProperty({ example: 'internal-use-licenses' }) benefitCode: string;
  @ApiProperty({ format: 'uuid', description: 'The entitlement whose unit it used' }) entitlementId: string;
  @ApiPropertyOptional({
    description: 'The key itself, only in the answer that issued it; a repeat of the request answers without it',
    example: 'PPL-7Q2MX-K4D9T-0WNBE-RZ5HC-3JVAF',
  })
  key?: string;
}

/** What one use of a benefit produced: a support incident (counted) or a license key (license). */
export class BenefitUseDto {
  @ApiProperty() benefitCode: string;
  @ApiProperty({ enum: ['counted', 'license'] }) kind: 'counted' | 'license';
  @ApiPropertyOptional({ type: SupportIncidentDto, description: 'Counted benefits' }) supportIncident?: SupportIncidentDto;
  @ApiPropertyOptional({ type: IssuedLicenseKeyDto, description: 'License benefits' }) licenseKey?: IssuedLicenseKeyDto;
}

/** The body of a purchase: empty, or whether it renews with the membership. */
export class BenefitPurchaseRequestDto {
  @ApiPropertyOptional({
    type: Boolean,
    default: false,
    description:
      "Buy it again at each next term's start, at that term's member price (invoiced then, granted once paid); left out, it ends with the term",
  })
  @Optional()
  @IsBoolean()
  autoRenew?: boolean;
}

const PURCHASE_STATUSES = ['invoicing', 'paid', 'void'];

export class BenefitPurchaseAcceptedDto {
  @ApiProperty({ format: 'uuid' }) purchaseId: string;
  @ApiProperty() workflowId: string;
  @ApiProperty({
    enum: PURCHASE_STATUSES,
    example: 'invoicing',
    description: 'invoicing until its invoice is paid (then paid, the subscription granted) or void',
  })
  status: string;
  @ApiProperty({ description: 'Whether it renews with the membership' }) autoRenew: boolean;
}

export class BenefitProrationDto {
  @ApiProperty({ type: 'integer', description: 'Days left in the term, a started day counting' }) daysLeft: number;
  @ApiProperty({ type: 'integer', description: "The term's days" }) termDays: number;
}

export class BenefitPriceDto implements BenefitPrice {
  @ApiProperty({ minLength: 3, maxLength: 3, example: 'USD' }) currency: string;
  @ApiProperty({ type: 'integer', description: 'Tax rate in basis points' }) taxRateBps: number;
  @ApiProperty({ type: 'integer', description: 'The list price for a term, in minor units' }) listMinor: number;
  @ApiProperty({ type: 'integer', description: "The level's member price for a term, before competency savings" }) memberMinor: number;
  @ApiProperty({ type: 'integer', description: 'The largest competency saving that applies, in basis points; 0 for none' })
  discountBps: number;
  @ApiProperty({ nullable: true, type: String, description: 'The competency that gives it' }) discountCompetency: string | null;
  @ApiProperty({ type: BenefitProrationDto, nullable: true, description: 'The share of the term left, when prorated' })
  proration: BenefitProrationDto | null;
  @ApiProperty({ type: 'integer', description: 'What the partner pays before tax, in minor units' }) amountMinor: number;
}

export class InvoiceLineDto {
  @ApiProperty() description: string;
  @ApiProperty({ type: 'integer', description: 'Minor units; a saving is negative' }) amountMinor: number;
}

export class BenefitQuoteDto {
  @ApiProperty() benefitCode: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: 'integer', description: 'The membership term it would be for' }) termNumber: number;
  @ApiProperty({ format: 'date-time', description: 'The end of that term: the subscription would end then' }) validUntil: string;
  @ApiProperty({ type: BenefitPriceDto }) price: BenefitPriceDto;
  @ApiProperty({ minLength: 3, maxLength: 3, example: 'USD' }) currency: string;
  @ApiProperty({ type: [InvoiceLineDto], description: 'The lines its invoice would carry' }) lines: InvoiceLineDto[];
  @ApiProperty({ type: 'integer' }) subtotalMinor: number;
  @ApiProperty({ type: 'integer' }) taxRateBps: number;
  @ApiProperty({ type: 'integer' }) taxMinor: number;
  @ApiProperty({ type: 'integer' }) totalMinor: number;
  @ApiProperty({ description: 'Where to buy it' }) purchase: string;
}
