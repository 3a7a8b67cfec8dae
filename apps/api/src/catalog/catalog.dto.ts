import { ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { IsOptional, IsString, Matches } from 'class-validator';
import {
  BENEFIT_KINDS,
  BENEFIT_STAGES,
  type BenefitKind,
  type BenefitRules,
  type CatalogCompetency,
  type CatalogDesignation,
  type CompetencyRequirements,
  type CompetencyVerificationRules,
  type ConsolidationRules,
  type CustomerSatisfactionRules,
  type DesignationRequirements,
  type FeePaymentRules,
  LEVEL_CODES,
  type LevelCode,
  type LevelFee,
  type PartnerLimits,
  type ProgramRules,
  type ProgramTerms,
  type RenewalRules,
  type ReviewDeadline,
  type SurveyQuestion,
} from '#domain/catalog';
import type {
  BenefitPricingView,
  BenefitStageView,
  CatalogBenefitView,
  CatalogView,
  CompetencyPriceView,
  LevelPriceView,
  LevelRequirementsView,
  PerLevel,
  PointRuleView,
} from '#queries/catalog';

/** What a catalog version id looks like (`2026.4`). */
export const CATALOG_VERSION_PATTERN = '^[0-9A-Za-z][0-9A-Za-z._-]{0,39}$';

export class CatalogQuery {
  @ApiPropertyOptional({
    pattern: CATALOG_VERSION_PATTERN,
    description: 'A published version (`2026.4`); by default the one in force',
  })
  @IsOptional()
  @IsString()
  @Matches(new RegExp(CATALOG_VERSION_PATTERN), { message: 'must be a catalog version id' })
  version?: string;
}

const note = () => ApiPropertyOptional({ description: 'What the rule means, in words' });

export class LevelFeeDto implements LevelFee {
  @ApiProperty({ type: 'integer', description: 'Minor units (cents)' }) amountMinor: number;
  @ApiProperty({ minLength: 3, maxLength: 3 }) currency: string;
  @ApiProperty({ type: 'integer', description: 'Tax in basis points (2000 = 20%)' }) taxRateBps: number;
}

export class ReviewDeadlineDto implements ReviewDeadline {
  @ApiProperty({ type: 'integer' }) deadlineDays: number;
  @ApiProperty({ type: 'integer' }) reminderDaysBeforeDeadline: number;
}

export class CompetencyVerificationRulesDto implements CompetencyVerificationRules {
  @ApiProperty({ type: 'integer' }) evidenceDeadlineDays: number;
  @ApiProperty({ type: 'integer' }) reminderDaysBeforeDeadline: number;
  @ApiProperty({ type: 'integer' }) recheckHours: number;
  @ApiProperty({ type: ReviewDeadlineDto }) review: ReviewDeadlineDto;
  @ApiProperty({ type: 'integer' }) evidenceWindowDays: number;
  @ApiProperty({ type: 'integer' }) grantValidMonths: number;
  @note() note?: string;
}

export class FeePaymentRulesDto implements FeePaymentRules {
  @ApiProperty({ type: 'integer' }) dueDays: number;
  @ApiProperty({ type: 'integer', isArray: true, description: 'Days from the due date (negative: before it)' })
  reminderOffsetsDays: number[];
  @ApiProperty({ type: 'integer' }) graceDays: number;
  @ApiProperty({ type: 'integer' }) refundWindowDays: number;
  @ApiProperty({ enum: ['daily'] }) proration: 'daily';
  @note() note?: string;
}

export class ConsolidationRulesDto implements ConsolidationRules {
  @ApiProperty({ type: 'integer' }) consentDays: number;
  @ApiProperty({ type: ReviewDeadlineDto }) review: ReviewDeadlineDto;
  @ApiProperty({ enum: ['refund'] }) unusedFeeCredit: 'refund';
  @note() note?: string;
}

export class RenewalRulesDto implements RenewalRules {
  @ApiProperty({ type: 'integer' }) decisionDaysBeforeEnd: number;
  @ApiProperty({ type: 'integer', isArray: true }) noticeDaysFromEnd: number[];
  @ApiProperty({ enum: ['lapse', 'downgrade'] }) unpaidOutcome: 'lapse' | 'downgrade';
  @note() note?: string;
}

export class SurveyQuestionDto implements SurveyQuestion {
  @ApiProperty() code: string;
  @ApiProperty() text: string;
}

export class CustomerSatisfactionRulesDto implements CustomerSatisfactionRules {
  @ApiProperty({ type: 'integer' }) scale: number;
  @ApiProperty({ type: 'integer' }) minResponses: number;
  @ApiProperty({ type: 'integer' }) minIndex: number;
  @ApiProperty({ type: 'integer' }) surveyValidDays: number;
  @ApiProperty() formula: string;
  @ApiPropertyOptional({ type: [SurveyQuestionDto] }) questions?: SurveyQuestionDto[];
  @ApiPropertyOptional({ type: 'integer' }) invitationPeriodDays?: number;
  @ApiPropertyOptional({ type: 'integer' }) invitationsPerPeriod?: number;
  @ApiPropertyOptional({ type: 'integer' }) minDistinctOrganizations?: number;
  @note() note?: string;
}

export class ProgramTermsDto implements ProgramTerms {
  @ApiProperty() version: string;
  @ApiProperty() title: string;
  @ApiProperty({ format: 'uri' }) url: string;
  @note() note?: string;
}

export class PartnerLimitsDto implements PartnerLimits {
  @ApiProperty({ type: 'integer' }) officesPerPartner: number;
  @ApiProperty({ type: 'integer' }) evidencePerWindow: number;
  @ApiProperty({ type: 'integer' }) pendingEvidencePerPartner: number;
  @ApiProperty({ type: 'integer' }) openConsolidationRequests: number;
  @note() note?: string;
}

export class BenefitRulesDto implements BenefitRules {
  @ApiProperty({ enum: ['daily', 'none'] }) purchaseProration: 'daily' | 'none';
  @note() note?: string;
}

export class EvidencePeriodsDto {
  @note() note?: string;
}

export class ProgramRulesDto implements ProgramRules {
  @ApiProperty({ type: 'integer' }) termMonths: number;
  @ApiProperty({ type: 'integer' }) pointsWindowDays: number;
  @ApiProperty({ type: 'integer' }) renewalWindowOpensDaysBefore: number;
  @ApiProperty({ type: 'integer' }) onlineBenefitsGraceDays: number;
  @ApiProperty({ type: 'integer' }) standingExpiryHorizonDays: number;
  @ApiProperty({ type: ReviewDeadlineDto }) enrollmentReview: ReviewDeadlineDto;
  @ApiProperty({ type: ReviewDeadlineDto }) evidenceReview: ReviewDeadlineDto;
  @ApiProperty({ type: ReviewDeadlineDto }) upgradeReview: ReviewDeadlineDto;
  @ApiProperty({ type: ReviewDeadlineDto }) paymentReview: ReviewDeadlineDto;
  @ApiProperty({ type: CompetencyVerificationRulesDto }) competencyVerification: CompetencyVerificationRulesDto;
  @ApiProperty({ type: FeePaymentRulesDto }) feePayment: FeePaymentRulesDto;
  @ApiProperty({ type: ConsolidationRulesDto }) consolidation: ConsolidationRulesDto;
  @ApiProperty({ type: RenewalRulesDto }) renewal: RenewalRulesDto;
  @ApiProperty({ type: CustomerSatisfactionRulesDto }) customerSatisfaction: CustomerSatisfactionRulesDto;
  @ApiPropertyOptional({ type: ProgramTermsDto, description: 'Versions before 2026.2 asked for none' }) programTerms?: ProgramTermsDto;
  @ApiPropertyOptional({ type: [String], description: 'The certifications that make a certified professional' })
  qualifyingCertifications?: string[];
  @ApiPropertyOptional({ type: EvidencePeriodsDto }) evidencePeriods?: EvidencePeriodsDto;
  @ApiPropertyOptional({ type: PartnerLimitsDto, description: 'Versions before 2026.3 set none' }) limits?: PartnerLimitsDto;
  @ApiPropertyOptional({ type: BenefitRulesDto, description: 'Versions before 2026.4 charged the full price' })
  benefits?: BenefitRulesDto;
  @ApiPropertyOptional({ type: ReviewDeadlineDto }) designationReview?: ReviewDeadlineDto;
  @ApiProperty({ type: [String], description: 'Where each rule comes from' }) sources: string[];
}

export class LevelRequirementsDto implements LevelRequirementsView {
  @ApiPropertyOptional() acceptProgramTerms?: boolean;
  @ApiPropertyOptional({ type: 'integer' }) primaryLocations?: number;
}

export class CatalogLevelDto implements Omit<CatalogView['levels'][number], 'fees'> {
  @ApiProperty({ enum: LEVEL_CODES }) code: LevelCode;
  @ApiProperty() name: string;
  @ApiProperty({ type: 'integer' }) rank: number;
  @ApiProperty({ type: 'integer' }) minPoints: number;
  @ApiProperty({ type: 'integer' }) minCompetencies: number;
  @ApiProperty({ type: LevelRequirementsDto }) requirements: LevelRequirementsDto;
  @ApiProperty({
    type: 'object',
    additionalProperties: { $ref: getSchemaPath(LevelFeeDto) },
    description: 'The annual fee per country code, `default` for every other country; none for a free level',
  })
  fees: Record<string, LevelFeeDto>;
}

export class CertifiedProfessionalsRequirementDto {
  @ApiProperty({ type: 'integer' }) count: number;
  @ApiProperty({ type: [String] }) certifications: string[];
}

export class SolutionTestsRequirementDto {
  @ApiProperty({ type: 'integer' }) count: number;
  @ApiProperty({ type: [String] }) testTypes: string[];
}

export class CompetencyRequirementsDto implements CompetencyRequirements {
  @ApiPropertyOptional({ type: CertifiedProfessionalsRequirementDto })
  certifiedProfessionals?: CertifiedProfessionalsRequirementDto;
  @ApiPropertyOptional({ type: 'integer' }) customerReferences?: number;
  @ApiPropertyOptional({ type: SolutionTestsRequirementDto }) passedSolutionTests?: SolutionTestsRequirementDto;
  @ApiPropertyOptional({ type: 'integer' }) passedAssessments?: number;
}

export class CatalogCompetencyDto implements CatalogCompetency {
  @ApiProperty() code: string;
  @ApiProperty() name: string;
  @ApiProperty() description: string;
  @ApiProperty({ type: CompetencyRequirementsDto }) requirements: CompetencyRequirementsDto;
}

export class UnitBandDto {
  @ApiProperty({ type: 'integer' }) minUnits: number;
  @ApiProperty({ type: 'integer' }) points: number;
}

export class PointRuleDto implements PointRuleView {
  @ApiProperty({
    description: 'fixed, per-item, per-group, per-certification, per-test-type, unit-band or threshold; the fields below that apply to it',
  })
  kind: string;
  @ApiPropertyOptional({ type: 'integer' }) points?: number;
  @ApiPropertyOptional({ type: 'integer', description: 'Extra points the first time' }) bonus?: number;
  @ApiPropertyOptional({ type: 'integer', description: 'The most the source gives in the points window' }) cap?: number;
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'integer' }, description: 'Points per test type' })
  pointsByType?: Record<string, number>;
  @ApiPropertyOptional({ type: [UnitBandDto], description: 'The highest band reached counts' }) bands?: UnitBandDto[];
  @ApiPropertyOptional({ type: 'integer' }) pointsPerCertification?: number;
  @ApiPropertyOptional({ type: 'integer' }) maxPerProfessional?: number;
  @ApiPropertyOptional({ type: 'integer', description: 'Points per this many' }) groupSize?: number;
}

export class CatalogPointSourceDto implements Omit<CatalogView['pointSources'][number], 'rule'> {
  @ApiProperty() code: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: 'integer' }) windowDays: number;
  @ApiProperty() requiresReview: boolean;
  @ApiProperty({ type: PointRuleDto }) rule: PointRuleDto;
}

export class PerLevelDto implements PerLevel {
  @ApiPropertyOptional({ type: 'integer' }) registered?: number;
  @ApiPropertyOptional({ type: 'integer' }) certified?: number;
  @ApiPropertyOptional({ type: 'integer' }) gold?: number;
}

export class CompetencyPriceDto implements CompetencyPriceView {
  @ApiProperty() competency: string;
  @ApiProperty({ type: 'integer' }) discountBps: number;
  @ApiProperty({ type: 'integer', description: 'Minor units, before tax and proration' }) amountMinor: number;
}

export class LevelPriceDto implements LevelPriceView {
  @ApiProperty({ enum: LEVEL_CODES }) level: LevelCode;
  @ApiProperty({ type: 'integer', description: "The level's member price in minor units, before tax and proration" })
  memberMinor: number;
  @ApiProperty({ type: [CompetencyPriceDto], description: 'The price for a partner holding that competency' })
  competencyPrices: CompetencyPriceDto[];
}

export class BenefitPricingDto implements BenefitPricingView {
  @ApiProperty({ type: LevelFeeDto }) listPrice: LevelFeeDto;
  @ApiProperty({ enum: ['daily', 'none'], description: 'daily: bought mid-term, the price times the days left over the term' })
  proration: 'daily' | 'none';
  @ApiProperty({ type: [LevelPriceDto], description: 'Per level that may buy it' }) levelPrices: LevelPriceDto[];
}

export class CatalogBenefitDto implements CatalogBenefitView {
  @ApiProperty() code: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: BENEFIT_KINDS }) kind: BenefitKind;
  @ApiProperty({ description: 'Online access: kept through the grace period after a term ends' }) online: boolean;
  @ApiProperty({ description: 'Bought at member prices rather than included' }) optional: boolean;
  @ApiProperty({ enum: LEVEL_CODES, isArray: true, description: 'The levels that include it (optional: that may buy it)' })
  levels: LevelCode[];
  @ApiProperty({ type: [String], description: 'Included once per competency held from this list' }) competencies: string[];
  @ApiProperty({ type: [String], description: 'Included while a designation from this list is held' }) designations: string[];
  @ApiProperty({ type: PerLevelDto, nullable: true, description: 'Units per term at each level; null when not counted' })
  unitsByLevel: PerLevelDto | null;
  @ApiProperty({ type: BenefitPricingDto, nullable: true, description: 'Optional benefits only' }) pricing: BenefitPricingDto | null;
}

export class BenefitStageDto implements BenefitStageView {
  @ApiProperty({ enum: BENEFIT_STAGES }) stage: string;
  @ApiProperty({ type: [CatalogBenefitDto] }) benefits: CatalogBenefitDto[];
}

export class DesignationAnyOfDto {
  @ApiPropertyOptional({ type: [String] }) competencies?: string[];
  @ApiPropertyOptional({ type: 'integer' }) certifiedProfessionals?: number;
}

export class DesignationRequirementsDto implements DesignationRequirements {
  @ApiPropertyOptional({ description: 'Verified evidence of enrollment in its community' }) communityEnrollment?: boolean;
  @ApiPropertyOptional({ type: DesignationAnyOfDto, description: 'At least one of these holds' }) anyOf?: DesignationAnyOfDto;
}

export class CatalogDesignationDto implements CatalogDesignation {
  @ApiProperty() code: string;
  @ApiProperty() name: string;
  @ApiProperty() description: string;
  @ApiProperty({ enum: LEVEL_CODES }) minLevel: LevelCode;
  @ApiProperty({ type: DesignationRequirementsDto }) requirements: DesignationRequirementsDto;
}

export class CatalogDto implements CatalogView {
  @ApiProperty({ description: 'The version id, as `?version=` takes it' }) id: string;
  @ApiProperty({ format: 'date-time' }) effectiveFrom: string;
  @ApiProperty() description: string;
  @ApiProperty({ description: 'Whether this is the version in force now' }) inForce: boolean;
  @ApiProperty({ type: ProgramRulesDto }) rules: ProgramRulesDto;
  @ApiProperty({ type: [CatalogLevelDto], description: 'Lowest first' }) levels: CatalogLevelDto[];
  @ApiProperty({ type: [CatalogCompetencyDto] }) competencies: CatalogCompetencyDto[];
  @ApiProperty({ type: [CatalogPointSourceDto] }) pointSources: CatalogPointSourceDto[];
  @ApiProperty({ type: [BenefitStageDto], description: 'Every benefit, by business-cycle stage in the order of the cycle' })
  benefitStages: BenefitStageDto[];
  @ApiProperty({ type: [CatalogDesignationDto] }) designations: CatalogDesignationDto[];
}
