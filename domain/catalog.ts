/**
 * The program catalog's shape. Pure types and functions only: importable from the API, the
 * activities and the workflow sandbox alike.
 */
import type { CompetencyRequirements, CompetencyVerificationRules } from './competencies';
import type { FeePaymentRules } from './invoices';
import type { CustomerSatisfactionRule } from './points';

export type LevelCode = 'registered' | 'certified' | 'gold';
export const LEVEL_CODES: readonly LevelCode[] = ['registered', 'certified', 'gold'];

export interface Money {
  amountMinor: number;
  currency: string;
}

export interface LevelFee extends Money {
  /** Tax or VAT in basis points (2000 = 20%). */
  taxRateBps: number;
}

export interface ReviewDeadline {
  deadlineDays: number;
  reminderDaysBeforeDeadline: number;
}

export interface ConsolidationRules {
  /** How long the absorbed partner has to consent. */
  consentDays: number;
  review: ReviewDeadline;
  /** What happens to the absorbed partner's paid fee for the days left in its term; crediting it is not built yet. */
  unusedFeeCredit: 'refund';
}

export interface RenewalRules {
  /** When, before the term ends, the partner is re-qualified and invoiced. */
  decisionDaysBeforeEnd: number;
  /** Notices after the window opens, in days from the term end (negative: before it). */
  noticeDaysFromEnd: number[];
  /** An unpaid renewal, once online benefits' grace has passed: end the membership or keep it at Registered. */
  unpaidOutcome: 'lapse' | 'downgrade';
}

export interface ProgramRules {
  termMonths: number;
  pointsWindowDays: number;
  renewalWindowOpensDaysBefore: number;
  onlineBenefitsGraceDays: number;
  /** How far ahead the standing looks for points about to leave the window. */
  standingExpiryHorizonDays: number;
  enrollmentReview: ReviewDeadline;
  evidenceReview: ReviewDeadline;
  upgradeReview: ReviewDeadline;
  /** A payment held because it does not match its invoice. */
  paymentReview: ReviewDeadline;
  competencyVerification: CompetencyVerificationRules;
  feePayment: FeePaymentRules;
  consolidation: ConsolidationRules;
  renewal: RenewalRules;
  customerSatisfaction: CustomerSatisfactionRule & { surveyValidDays: number; formula: string };
  sources: string[];
}

export interface CatalogLevel {
  code: LevelCode;
  name: string;
  rank: number;
  minPoints: number;
  minCompetencies: number;
  requirements: Record<string, unknown>;
  fees: Record<string, LevelFee>;
}

export interface CatalogCompetency {
  code: string;
  name: string;
  description: string;
  requirements: CompetencyRequirements;
}

export interface CatalogPointSource {
  code: string;
  name: string;
  windowDays: number;
  requiresReview: boolean;
  rule: Record<string, unknown>;
}

export interface CatalogBenefit {
  code: string;
  name: string;
  stage: string;
  levels: LevelCode[];
  optional: boolean;
  /** What an optional benefit costs a year; included benefits have none. */
  price?: LevelFee;
}

/** One published catalog version, as stored in prisma/catalog/*.json. */
export interface CatalogDocument {
  id: string;
  effectiveFrom: string;
  description: string;
  rules: ProgramRules;
  levels: CatalogLevel[];
  competencies: CatalogCompetency[];
  pointSources: CatalogPointSource[];
  benefits: CatalogBenefit[];
}

/** The fee a level charges in a country, falling back to the catalog's default entry. */
export function levelFeeFor(level: CatalogLevel, country: string): LevelFee | undefined {
  return level.fees[country] ?? level.fees.default;
}
