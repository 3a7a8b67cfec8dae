import type { CatalogLevel, LevelCode } from './catalog';

/** A partner's pooled resources across its consolidated locations, as of one evaluation. */
export interface PartnerResources {
  points: number;
  grantedCompetencies: number;
  primaryLocations: number;
  termsAccepted: boolean;
}

export type Requirement = 'points' | 'competencies' | 'primaryLocation' | 'programTerms';

export interface MissingItem {
  requirement: Requirement;
  have: number;
  need: number;
}

export interface LevelEligibility {
  level: LevelCode;
  eligible: boolean;
  missing: MissingItem[];
}

/** What a level asks that the partner does not have yet; empty means eligible. */
export function missingFor(level: CatalogLevel, resources: PartnerResources): MissingItem[] {
  const checks: MissingItem[] = [
    { requirement: 'programTerms', have: resources.termsAccepted ? 1 : 0, need: level.requirements.acceptProgramTerms ? 1 : 0 },
    { requirement: 'primaryLocation', have: resources.primaryLocations, need: Number(level.requirements.primaryLocations ?? 1) },
    { requirement: 'points', have: resources.points, need: level.minPoints },
    { requirement: 'competencies', have: resources.grantedCompetencies, need: level.minCompetencies },
  ];
  return checks.filter((check) => check.have < check.need);
}

export function evaluateLevels(levels: readonly CatalogLevel[], resources: PartnerResources): LevelEligibility[] {
  return [...levels]
    .sort((a, b) => a.rank - b.rank)
    .map((level) => {
      const missing = missingFor(level, resources);
      return { level: level.code, eligible: missing.length === 0, missing };
    });
}

/** The highest-ranked level whose requirements are all met, or null when none is. */
export function highestEligibleLevel(levels: readonly CatalogLevel[], resources: PartnerResources): LevelCode | null {
  const eligible = evaluateLevels(levels, resources).filter((evaluation) => evaluation.eligible);
  return eligible.length ? eligible[eligible.length - 1].level : null;
}
