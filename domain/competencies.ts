import type { CatalogPointSource, CompetencyRequirements } from './catalog';
import { ageInDays, type EvidenceDetails } from './points';

/**
 * Competencies: what a specialty asks of a partner's evidence, and what a grant earns. Pure
 * functions only (shared by the API, the activities and workflows).
 */

export type CompetencyRequirement = keyof CompetencyRequirements;

export const COMPETENCY_STATUSES = ['verifying', 'awaiting-evidence', 'in-review', 'granted', 'rejected', 'expired', 'revoked'] as const;
export type CompetencyStatus = (typeof COMPETENCY_STATUSES)[number];

/** A piece of evidence as competency verification sees it. */
export interface CompetencyEvidence {
  id: string;
  kind: string;
  status: string;
  recordedAt: string;
  details: Record<string, unknown>;
}

export interface RequirementCheck {
  requirement: CompetencyRequirement;
  have: number;
  need: number;
  /** The evidence that counts toward it, at most `need` items. */
  evidenceIds: string[];
}

export interface CompetencyAssessment {
  code: string;
  met: boolean;
  checks: RequirementCheck[];
}

type Matcher = (evidence: CompetencyEvidence, code: string) => boolean;

const MATCHERS: { [R in CompetencyRequirement]-?: (rule: NonNullable<CompetencyRequirements[R]>) => { need: number; matches: Matcher } } = {
  certifiedProfessionals: (rule) => ({
    need: rule.count,
    matches: (evidence) =>
      evidence.kind === 'certified-professional' &&
      (evidence.details as unknown as EvidenceDetails['certified-professional']).certificationIds.some((id) =>
        rule.certifications.includes(id),
      ),
  }),
  customerReferences: (count) => ({
    need: count,
    matches: (evidence, code) => evidence.kind === 'customer-reference' && evidence.details.competencyCode === code,
  }),
  passedSolutionTests: (rule) => ({
    need: rule.count,
    matches: (evidence, code) => {
      const test = evidence.details as unknown as EvidenceDetails['tested-solution'];
      return (
        evidence.kind === 'tested-solution' &&
        test.result === 'passed' &&
        test.competencyCode === code &&
        rule.testTypes.includes(test.testType)
      );
    },
  }),
  passedAssessments: (count) => ({
    need: count,
    matches: (evidence) =>
      evidence.kind === 'mobility-assessment' &&
      (evidence.details as unknown as EvidenceDetails['mobility-assessment']).result === 'passed',
  }),
};

/**
 * Checks verified evidence recorded within the window against each requirement. Evidence is
 * taken oldest first, so the same partner and evidence always give the same answer.
 */
export function assessCompetency(
  code: string,
  requirements: CompetencyRequirements,
  evidence: readonly CompetencyEvidence[],
  asOf: string,
  windowDays: number,
): CompetencyAssessment {
  const counting = evidence
    .filter((item) => item.status === 'verified')
    .filter((item) => {
      const age = ageInDays(item.recordedAt, asOf);
      return age >= 0 && age <= windowDays;
    })
    .sort((a, b) => a.recordedAt.localeCompare(b.recordedAt) || a.id.localeCompare(b.id));
  const checks = (Object.keys(MATCHERS) as CompetencyRequirement[])
    .filter((requirement) => requirements[requirement] !== undefined)
    .map((requirement): RequirementCheck => {
      const { need, matches } = (MATCHERS[requirement] as (rule: unknown) => { need: number; matches: Matcher })(requirements[requirement]);
      const matching = counting.filter((item) => matches(item, code));
      return { requirement, have: matching.length, need, evidenceIds: matching.slice(0, need).map((item) => item.id) };
    });
  return { code, met: checks.every((check) => check.have >= check.need), checks };
}

/** One line per requirement, for review tasks and notices. */
export function describeAssessment(assessment: CompetencyAssessment): string {
  return assessment.checks.map((check) => `${check.requirement} ${check.have}/${check.need}`).join(', ');
}

export const FIRST_COMPETENCY_SOURCE = 'competency-first';
export const FURTHER_COMPETENCY_SOURCE = 'competency-additional';

/** What a grant earns: the first competency its points plus bonus, each further one its points. */
export function competencyAward(sources: readonly CatalogPointSource[], isFirst: boolean): { sourceCode: string; points: number } {
  const sourceCode = isFirst ? FIRST_COMPETENCY_SOURCE : FURTHER_COMPETENCY_SOURCE;
  const rule = sources.find((source) => source.code === sourceCode)?.rule ?? {};
  const value = (key: string) => (typeof rule[key] === 'number' ? (rule[key] as number) : 0);
  return { sourceCode, points: value('points') + value('bonus') };
}
