import type { CatalogPointSource, CustomerSatisfactionRule, CustomerSatisfactionRules } from './catalog';
import { DAY_MS } from './time';

/**
 * Partner Points: how evidence earns points, and how the append-only ledger adds up over the
 * catalog's trailing window with its caps. Pure functions only (shared by the API, the
 * activities and workflows).
 */
export type LedgerEntryKind = 'award' | 'correction' | 'transfer' | 'expiry';

export interface LedgerEntry {
  sourceCode: string;
  points: number;
  kind: LedgerEntryKind;
  /** When the points were earned; a correction carries its original award's date. */
  occurredAt: string;
  locationId?: string | null;
}

/** Whole days between the award and `asOf`; an award later than `asOf` has a negative age. */
export function ageInDays(occurredAt: string, asOf: string): number {
  return Math.floor((Date.parse(asOf) - Date.parse(occurredAt)) / DAY_MS);
}

/** An award counts from the day it is earned until it is `windowDays` whole days old. */
export function isInWindow(occurredAt: string, asOf: string, windowDays: number): boolean {
  const age = ageInDays(occurredAt, asOf);
  return age >= 0 && age <= windowDays;
}

/** The first instant at which an award no longer counts. */
export function leavesWindowAt(occurredAt: string, windowDays: number): string {
  return new Date(Date.parse(occurredAt) + (windowDays + 1) * DAY_MS).toISOString();
}

export interface SourceTotal {
  sourceCode: string;
  /** Sum of the entries in the window, before the cap. */
  earned: number;
  /** What counts toward levels: capped, never negative. */
  counted: number;
  cap: number | null;
}

function capOf(source: CatalogPointSource | undefined): number | null {
  const cap = source?.rule.cap;
  return typeof cap === 'number' ? cap : null;
}

/**
 * Points per source as of a date. Expiry entries only record that an award left the window;
 * the window itself already leaves it out, so they never count twice.
 */
export function pointsBySource(entries: readonly LedgerEntry[], sources: readonly CatalogPointSource[], asOf: string): SourceTotal[] {
  const byCode = new Map(sources.map((source) => [source.code, source]));
  const earned = new Map<string, number>();
  for (const entry of entries) {
    if (entry.kind === 'expiry') continue;
    const source = byCode.get(entry.sourceCode);
    if (!source || !isInWindow(entry.occurredAt, asOf, source.windowDays)) continue;
    earned.set(entry.sourceCode, (earned.get(entry.sourceCode) ?? 0) + entry.points);
  }
  return [...earned.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([sourceCode, sum]) => {
      const cap = capOf(byCode.get(sourceCode));
      const floored = Math.max(0, sum);
      return { sourceCode, earned: sum, counted: cap === null ? floored : Math.min(floored, cap), cap };
    });
}

export function totalPoints(entries: readonly LedgerEntry[], sources: readonly CatalogPointSource[], asOf: string): number {
  return pointsBySource(entries, sources, asOf).reduce((sum, source) => sum + source.counted, 0);
}

/** Points that count today but will not once `horizonDays` have passed. */
export function pointsExpiringWithin(
  entries: readonly LedgerEntry[],
  sources: readonly CatalogPointSource[],
  asOf: string,
  horizonDays: number,
): { points: number; bySource: SourceTotal[] } {
  const later = new Date(Date.parse(asOf) + horizonDays * DAY_MS).toISOString();
  const now = new Map(pointsBySource(entries, sources, asOf).map((total) => [total.sourceCode, total]));
  const then = new Map(pointsBySource(entries, sources, later).map((total) => [total.sourceCode, total.counted]));
  const bySource = [...now.values()]
    .map((total) => ({ ...total, counted: total.counted - (then.get(total.sourceCode) ?? 0) }))
    .filter((total) => total.counted > 0);
  return { points: bySource.reduce((sum, total) => sum + total.counted, 0), bySource };
}

// ---------- What evidence earns ----------

export const EVIDENCE_KINDS = [
  'certified-professional',
  'customer-reference',
  'tested-solution',
  'product-sales',
  'conference',
  'small-business-specialist',
  'isv-royalty',
  'mobility-assessment',
] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

/** The catalog point source each kind of evidence earns from. */
export const EVIDENCE_POINT_SOURCE: Record<EvidenceKind, string> = {
  'certified-professional': 'certified-professional',
  'customer-reference': 'business-win',
  'tested-solution': 'tested-solution',
  'product-sales': 'product-sales',
  conference: 'conference',
  'small-business-specialist': 'small-business-specialist',
  'isv-royalty': 'isv-royalty',
  'mobility-assessment': 'mobility-assessment',
};

export interface EvidenceDetails {
  'certified-professional': { personName: string; email: string; certificationIds: string[]; locationId?: string };
  'customer-reference': { customerName: string; contactEmail: string; projectTitle: string; wonAt: string; competencyCode?: string };
  'tested-solution': {
    solutionName: string;
    testType: 'software-certification' | 'validation-testing' | 'hardware-lab';
    testId: string;
    result: 'passed' | 'failed';
    competencyCode?: string;
  };
  'product-sales': { productLine: string; period: string; units: number };
  conference: { conferenceYear: number; staffAttending: number };
  'small-business-specialist': { memberId: string; enrolledAt: string };
  'isv-royalty': { agreementId: string };
  'mobility-assessment': { assessmentId: string; result: 'passed' | 'failed' };
}

type Rule = Record<string, unknown>;
const num = (rule: Rule, key: string, fallback = 0): number => (typeof rule[key] === 'number' ? (rule[key] as number) : fallback);

/** Points a single piece of evidence is worth under a point source's rule (before caps). */
export function evidencePoints<K extends EvidenceKind>(kind: K, details: EvidenceDetails[K], source: CatalogPointSource): number {
  const rule = source.rule;
  switch (kind) {
    case 'certified-professional': {
      const { certificationIds } = details as EvidenceDetails['certified-professional'];
      const perProfessional = certificationIds.length * num(rule, 'pointsPerCertification', 1);
      return Math.min(perProfessional, num(rule, 'maxPerProfessional', 3));
    }
    case 'tested-solution': {
      const test = details as EvidenceDetails['tested-solution'];
      const byType = (rule.pointsByType ?? {}) as Record<string, number>;
      return test.result === 'passed' ? (byType[test.testType] ?? 0) : 0;
    }
    case 'product-sales': {
      const { units } = details as EvidenceDetails['product-sales'];
      const bands = ((rule.bands ?? []) as Array<{ minUnits: number; points: number }>).filter((band) => units >= band.minUnits);
      return bands.reduce((best, band) => Math.max(best, band.points), 0);
    }
    case 'conference': {
      const { staffAttending } = details as EvidenceDetails['conference'];
      return Math.floor(staffAttending / num(rule, 'groupSize', 1)) * num(rule, 'points');
    }
    case 'mobility-assessment':
      return (details as EvidenceDetails['mobility-assessment']).result === 'passed' ? num(rule, 'points') : 0;
    default:
      return num(rule, 'points');
  }
}

/**
 * A natural key per kind: the same real-world evidence recorded twice is a duplicate. Where the
 * program awards per period (a certified professional, Small Business Specialist Community and
 * ISV Royalty Program membership: per calendar year of recording), the period is part of the key,
 * so the next period's evidence earns again; sales and the conference name their own period.
 */
export function evidenceNaturalKey<K extends EvidenceKind>(kind: K, details: EvidenceDetails[K], recordedAt: string): string {
  const d = details as Record<string, unknown>;
  const year = recordedAt.slice(0, 4);
  const parts: Record<EvidenceKind, unknown[]> = {
    'certified-professional': [String(d.email).toLowerCase(), year],
    'customer-reference': [String(d.customerName).toLowerCase(), String(d.projectTitle).toLowerCase()],
    'tested-solution': [d.testId],
    'product-sales': [String(d.productLine).toLowerCase(), d.period],
    conference: [d.conferenceYear],
    'small-business-specialist': [year],
    'isv-royalty': [String(d.agreementId).toLowerCase(), year],
    'mobility-assessment': [d.assessmentId],
  };
  return [kind, ...parts[kind]].join('|');
}

/**
 * Which attempt a submission of this natural key is: the first, or the next after one that was
 * rejected or expired; null while an earlier one is pending or verified (a true duplicate).
 */
export function nextEvidenceAttempt(latest: { attempt: number; status: string } | null): number | null {
  if (!latest) return 1;
  return latest.status === 'rejected' || latest.status === 'expired' ? latest.attempt + 1 : null;
}

/** The date of the activity a piece of evidence proves, and the field that states it; none for kinds dated at verification. */
export function evidenceActivity<K extends EvidenceKind>(kind: K, details: EvidenceDetails[K]): { at: string; field: string } | null {
  const d = details as Record<string, unknown>;
  switch (kind) {
    case 'customer-reference':
      return { at: new Date(String(d.wonAt)).toISOString(), field: 'wonAt' };
    case 'small-business-specialist':
      return { at: new Date(String(d.enrolledAt)).toISOString(), field: 'enrolledAt' };
    case 'product-sales':
      return { at: periodEnd(String(d.period)), field: 'period' };
    case 'conference':
      return { at: new Date(Date.UTC(Number(d.conferenceYear), 11, 31)).toISOString(), field: 'conferenceYear' };
    default:
      return null;
  }
}

/** The last day of a month (`YYYY-MM`) or quarter (`YYYY-Qn`). */
function periodEnd(period: string): string {
  const [year, part] = period.split('-');
  const lastMonth = part.startsWith('Q') ? Number(part.slice(1)) * 3 : Number(part);
  return new Date(Date.UTC(Number(year), lastMonth, 0)).toISOString();
}

/**
 * When an award counts from: the activity's date, never later than its verification (a period
 * still running when verified counts from then). Evidence without an activity date counts from
 * its verification.
 */
export function awardDate(activityAt: string | null | undefined, verifiedAt: string): string {
  return activityAt && activityAt < verifiedAt ? activityAt : verifiedAt;
}

export interface EvidenceRules {
  asOf: string;
  windowDays: number;
  competencyCodes: readonly string[];
  /** Absent: any certification qualifies (catalogs before 2026.2). */
  qualifyingCertifications?: readonly string[];
}

/**
 * What the catalog refuses in a piece of evidence that is otherwise well formed: an activity
 * already outside the points window (or still to come), a competency the catalog does not have,
 * a certification it does not count. Fields are named under `details`.
 */
export function evidenceProblems<K extends EvidenceKind>(
  kind: K,
  details: EvidenceDetails[K],
  rules: EvidenceRules,
): Array<{ field: string; reason: string; code: string }> {
  const problems: Array<{ field: string; reason: string; code: string }> = [];
  const d = details as Record<string, unknown>;
  const activity = evidenceActivity(kind, details);
  const upcoming = activity !== null && Date.parse(activity.at) > Date.parse(rules.asOf);
  // A sales period or conference year still running ends in the future; a win or an enrollment may not.
  const running = kind === 'product-sales' || kind === 'conference';
  if (activity && upcoming && !running) {
    problems.push({ field: `details.${activity.field}`, reason: 'must not be in the future', code: 'activity_in_future' });
  } else if (activity && !upcoming && !isInWindow(activity.at, rules.asOf, rules.windowDays)) {
    problems.push({
      field: `details.${activity.field}`,
      reason: `is outside the ${rules.windowDays}-day points window: the activity no longer earns points`,
      code: 'activity_outside_window',
    });
  }
  if (typeof d.competencyCode === 'string' && !rules.competencyCodes.includes(d.competencyCode)) {
    problems.push({
      field: 'details.competencyCode',
      reason: `must be a competency of the catalog: ${rules.competencyCodes.join(', ')}`,
      code: 'unknown_competency',
    });
  }
  const qualifying = rules.qualifyingCertifications;
  if (qualifying && Array.isArray(d.certificationIds)) {
    (d.certificationIds as string[]).forEach((certification, index) => {
      if (!qualifying.includes(certification)) {
        problems.push({
          field: `details.certificationIds[${index}]`,
          reason: `${certification} is not a certification the program counts`,
          code: 'unknown_certification',
        });
      }
    });
  }
  return problems;
}

// ---------- Customer satisfaction ----------

/**
 * Customer Satisfaction Index: the mean of every answer given, mapped onto 0..100 (1 is 0,
 * `scale` is 100), or null until enough customers answered. Empty responses do not count.
 */
export function customerSatisfactionIndex(responses: readonly number[][], rule: CustomerSatisfactionRule): number | null {
  const answered = responses.filter((scores) => scores.length > 0);
  if (answered.length === 0 || answered.length < rule.minResponses) return null;
  const scores = answered.flat();
  const mean = scores.reduce((sum, score) => sum + score, 0) / scores.length;
  return Math.round(((mean - 1) / (rule.scale - 1)) * 100);
}

/** An address's domain, lower case: the customer organization it speaks for. */
export function emailDomain(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1).toLowerCase();
}

/** The partner's own domains (its website's host and its contact's address): answers from them are its own. */
export function partnerDomains(partner: { website: string; contactEmail: string }): string[] {
  const host = URL.canParse(partner.website) ? new URL(partner.website).hostname.toLowerCase().replace(/^www\./, '') : '';
  return [...new Set([host, emailDomain(partner.contactEmail)].filter(Boolean))];
}

export interface SatisfactionMeasure {
  index: number | null;
  /** Answers that count: not empty, not from the partner's own domains. */
  responses: number;
  /** Distinct customer organizations (email domains) among them. */
  organizations: number;
  /** Answers left out because they came from the partner's own domains. */
  ownDomainResponses: number;
  perQuestion: Array<{ code: string; text: string; average: number | null; answers: number }>;
  /** Whether the measure earns the catalog's points: index at the bar, from enough customer organizations. */
  earnsPoints: boolean;
}

/**
 * The partner's Customer Satisfaction Index from its customers' answers (each answer rates the
 * catalog's questions in order). A partner cannot rate itself: answers from its own domains do
 * not count, and the points need answers from enough distinct customer organizations.
 */
export function measureSatisfaction(
  answers: ReadonlyArray<{ customerEmail: string; scores: readonly number[] }>,
  ownDomains: readonly string[],
  rules: CustomerSatisfactionRules,
): SatisfactionMeasure {
  const given = answers.filter((answer) => answer.scores.length > 0);
  const counted = given.filter((answer) => !ownDomains.includes(emailDomain(answer.customerEmail)));
  const index = customerSatisfactionIndex(
    counted.map((answer) => [...answer.scores]),
    rules,
  );
  const organizations = new Set(counted.map((answer) => emailDomain(answer.customerEmail))).size;
  const perQuestion = (rules.questions ?? []).map((question, position) => {
    const scores = counted.map((answer) => answer.scores[position]).filter((score): score is number => score !== undefined);
    const average = scores.length ? Math.round((scores.reduce((sum, score) => sum + score, 0) / scores.length) * 100) / 100 : null;
    return { code: question.code, text: question.text, average, answers: scores.length };
  });
  return {
    index,
    responses: counted.length,
    organizations,
    ownDomainResponses: given.length - counted.length,
    perQuestion,
    earnsPoints: index !== null && index >= rules.minIndex && organizations >= (rules.minDistinctOrganizations ?? 0),
  };
}
