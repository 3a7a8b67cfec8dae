/**
 * The program catalog's shape: every rule a published version states, as pure types. A leaf of
 * `domain/`: the rule modules import it, it imports none of them.
 */

export type LevelCode = 'registered' | 'certified' | 'gold';
export const LEVEL_CODES: readonly LevelCode[] = ['registered', 'certified', 'gold'];

/** Where a level stands among the program's levels: higher is better. */
export const levelRank = (level: LevelCode): number => LEVEL_CODES.indexOf(level);

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

/** Fee rules from the catalog: due date, reminder offsets from it, grace, refund window. */
export interface FeePaymentRules {
  dueDays: number;
  /** Days relative to the due date (negative is before it) on which the partner is reminded. */
  reminderOffsetsDays: number[];
  /** After the due date the invoice is overdue; after the grace period it is void and the step fails. */
  graceDays: number;
  refundWindowDays: number;
  /** `daily`: a mid-term upgrade pays the fee difference times remaining days over the term's days. */
  proration: 'daily';
}

/** A competency's requirements as the catalog states them; an absent requirement asks nothing. */
export interface CompetencyRequirements {
  /** Professionals holding at least one of the named certifications. */
  certifiedProfessionals?: { count: number; certifications: string[] };
  /** Verified customer references tagged with the competency. */
  customerReferences?: number;
  /** Passed solution tests of the listed types, tagged with the competency. */
  passedSolutionTests?: { count: number; testTypes: string[] };
  /** Passed onsite assessments. */
  passedAssessments?: number;
}

export interface CompetencyVerificationRules {
  evidenceDeadlineDays: number;
  reminderDaysBeforeDeadline: number;
  /** While waiting, the evidence is assessed again this often, whether or not a signal came. */
  recheckHours: number;
  review: ReviewDeadline;
  /** Verified evidence recorded within this many days counts. */
  evidenceWindowDays: number;
  grantValidMonths: number;
}

export interface CustomerSatisfactionRule {
  /** Answers are 1..scale. */
  scale: number;
  minResponses: number;
  minIndex: number;
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
  customerSatisfaction: CustomerSatisfactionRules;
  /** The program terms a partner accepts; versions before 2026.2 asked for none. */
  programTerms?: ProgramTerms;
  /** The certifications that make a certified professional; versions before 2026.2 accepted any. */
  qualifyingCertifications?: string[];
  /** Caps on what one partner keeps on record; versions before 2026.3 set none. */
  limits?: PartnerLimits;
  /** How benefits are bought; versions before 2026.4 charged the full price. */
  benefits?: BenefitRules;
  /** How long a reviewer has to decide on a designation; versions before 2026.4 had no designations. */
  designationReview?: ReviewDeadline;
  sources: string[];
}

export interface PartnerLimits {
  /** Active offices, the primary included; a consolidation may bring more. */
  officesPerPartner: number;
  /** Evidence recorded in the points window, whatever became of it. */
  evidencePerWindow: number;
  /** Evidence awaiting a review at once. */
  pendingEvidencePerPartner: number;
  /** Consolidation requests it asked for that still await consent or review. */
  openConsolidationRequests: number;
  note?: string;
}

export interface ProgramTerms {
  version: string;
  title: string;
  url: string;
}

export interface SurveyQuestion {
  code: string;
  text: string;
}

export interface CustomerSatisfactionRules extends CustomerSatisfactionRule {
  surveyValidDays: number;
  formula: string;
  /** What each answer (in order) rates; versions before 2026.2 named no questions. */
  questions?: SurveyQuestion[];
  /** Invitations per partner over this many days, at most `invitationsPerPeriod`, one per recipient. */
  invitationPeriodDays?: number;
  invitationsPerPeriod?: number;
  /** Distinct customer organizations (email domains) whose answers the CSI points need. */
  minDistinctOrganizations?: number;
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

/** What a benefit is to the partner: a right of access, units it consumes, a directory listing, license keys or a bought subscription. */
export type BenefitKind = 'access' | 'counted' | 'listing' | 'license' | 'subscription';
export const BENEFIT_KINDS: readonly BenefitKind[] = ['access', 'counted', 'listing', 'license', 'subscription'];

/** The business-cycle stages benefits are grouped by. */
export const BENEFIT_STAGES = ['plan', 'enable', 'create-demand', 'sell', 'enhance-service', 'retain-customers'] as const;
export type BenefitStage = (typeof BENEFIT_STAGES)[number];

/** Savings on an optional benefit for a partner holding any of the competencies named. */
export interface CompetencyDiscount {
  competencies: string[];
  discountBps: number;
}

export interface CatalogBenefit {
  code: string;
  name: string;
  stage: string;
  /** Versions before 2026.4 named no kind: their benefits are access rights. */
  kind?: BenefitKind;
  /** Online access stays through the grace period after a term ends, until the membership lapses. */
  online?: boolean;
  /** The levels that include it (an optional one: the levels that may buy it). */
  levels: LevelCode[];
  /** Included once per competency the partner holds, whatever its level. */
  competencies?: string[];
  /** Included while the partner holds one of these designations. */
  designations?: string[];
  /** Units per term for counted and license benefits: the same at every level... */
  quantity?: number;
  /** ...or per level. */
  quantityByLevel?: Partial<Record<LevelCode, number>>;
  optional: boolean;
  /** The list price of an optional benefit for a year; included benefits have none. */
  price?: LevelFee;
  /** The member price per level, in the list price's currency and minor units; a level without one pays the list price. */
  memberPrices?: Partial<Record<LevelCode, number>>;
  /** Further savings for competencies; the largest that applies is taken. */
  competencyDiscounts?: CompetencyDiscount[];
}

/** What a designation asks of a partner beyond its level. */
export interface DesignationRequirements {
  /** Verified evidence of enrollment in the designation's community (the Small Business Specialist Community). */
  communityEnrollment?: boolean;
  /** At least one of these holds: a granted competency from the list, or this many verified certified professionals. */
  anyOf?: { competencies?: string[]; certifiedProfessionals?: number };
}

export interface CatalogDesignation {
  code: string;
  name: string;
  description: string;
  minLevel: LevelCode;
  requirements: DesignationRequirements;
}

export interface BenefitRules {
  /** `daily`: an optional benefit bought mid-term costs its price times the days left over the term's days; `none`: the full price. */
  purchaseProration: 'daily' | 'none';
  note?: string;
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
  /** Versions before 2026.4 had none. */
  designations?: CatalogDesignation[];
}
