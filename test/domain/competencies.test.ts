import fc from 'fast-check';
import { assessCompetency, type CompetencyEvidence, competencyAward } from '../../domain/competencies';
import { readCatalogDocuments } from '../../prisma/seed';
import { DAY_MS } from '../../domain/time';

const catalog = readCatalogDocuments()[0];
const security = catalog.competencies.find((competency) => competency.code === 'security')!;
const AS_OF = '2026-11-25T12:00:00.000Z';
const daysBefore = (days: number) => new Date(Date.parse(AS_OF) - days * DAY_MS).toISOString();

let next = 0;
function evidence(kind: string, details: Record<string, unknown>, overrides: Partial<CompetencyEvidence> = {}): CompetencyEvidence {
  next += 1;
  return { id: `e-${String(next).padStart(4, '0')}`, kind, status: 'verified', recordedAt: daysBefore(10), details, ...overrides };
}
const professional = (certificationIds: string[], overrides?: Partial<CompetencyEvidence>) =>
  evidence('certified-professional', { personName: 'P', email: `p${next}@x.example`, certificationIds }, overrides);
const reference = (competencyCode: string | undefined, overrides?: Partial<CompetencyEvidence>) =>
  evidence(
    'customer-reference',
    { customerName: `C${next}`, contactEmail: 'c@x.example', projectTitle: 'P', wonAt: '2026-10-01', competencyCode },
    overrides,
  );

describe('the catalog states requirements for every competency', () => {
  it('gives all 13 competencies at least one requirement, and values both competency point sources', () => {
    expect(catalog.competencies).toHaveLength(13);
    for (const competency of catalog.competencies) expect(Object.keys(competency.requirements).length).toBeGreaterThan(0);
    expect(competencyAward(catalog.pointSources, true)).toEqual({ sourceCode: 'competency-first', points: 50 });
    expect(competencyAward(catalog.pointSources, false)).toEqual({ sourceCode: 'competency-additional', points: 25 });
  });
});

describe('assessCompetency', () => {
  it('is met by two security professionals and three security references, and reports the evidence counted', () => {
    const items = [
      professional(['MCSE-Security']),
      professional(['MCSA-Security', 'MCP']),
      reference('security'),
      reference('security'),
      reference('security'),
    ];
    const assessment = assessCompetency('security', security.requirements, items, AS_OF, 365);
    expect(assessment).toEqual({
      code: 'security',
      met: true,
      checks: [
        { requirement: 'certifiedProfessionals', have: 2, need: 2, evidenceIds: [items[0].id, items[1].id] },
        { requirement: 'customerReferences', have: 3, need: 3, evidenceIds: [items[2].id, items[3].id, items[4].id] },
      ],
    });
  });

  it('counts neither unverified, untagged, wrongly certified nor out-of-window evidence', () => {
    const items = [
      professional(['MCSE-Security'], { status: 'pending_review' }),
      professional(['MCSD']),
      professional(['MCSE-Security'], { recordedAt: daysBefore(366) }),
      reference(undefined),
      reference('data-management'),
      reference('security', { status: 'rejected' }),
    ];
    const assessment = assessCompetency('security', security.requirements, items, AS_OF, 365);
    expect(assessment.met).toBe(false);
    expect(assessment.checks.map((check) => check.have)).toEqual([0, 0]);
  });

  it('only counts passed solution tests of the listed types tagged with the competency', () => {
    const requirements = { passedSolutionTests: { count: 1, testTypes: ['hardware-lab'] } };
    const test = (testType: string, result: string, competencyCode?: string) =>
      evidence('tested-solution', { solutionName: 'S', testId: `t${next}`, testType, result, competencyCode });
    expect(assessCompetency('oem-hardware', requirements, [test('hardware-lab', 'failed', 'oem-hardware')], AS_OF, 365).met).toBe(false);
    expect(assessCompetency('oem-hardware', requirements, [test('validation-testing', 'passed', 'oem-hardware')], AS_OF, 365).met).toBe(
      false,
    );
    expect(assessCompetency('oem-hardware', requirements, [test('hardware-lab', 'passed')], AS_OF, 365).met).toBe(false);
    expect(assessCompetency('oem-hardware', requirements, [test('hardware-lab', 'passed', 'oem-hardware')], AS_OF, 365).met).toBe(true);
  });

  it('is monotone: adding evidence never unmeets a requirement, and the answer ignores input order', () => {
    const pool = [
      professional(['MCSE-Security']),
      professional(['MCSA-Security']),
      professional(['MCSD']),
      reference('security'),
      reference('security'),
      reference('security'),
      reference('learning'),
    ];
    fc.assert(
      fc.property(fc.subarray(pool), fc.subarray(pool), (some, more) => {
        const base = assessCompetency('security', security.requirements, some, AS_OF, 365);
        const grown = assessCompetency('security', security.requirements, [...new Set([...some, ...more])], AS_OF, 365);
        grown.checks.forEach((check, index) => expect(check.have).toBeGreaterThanOrEqual(base.checks[index].have));
        if (base.met) expect(grown.met).toBe(true);
        expect(assessCompetency('security', security.requirements, [...some].reverse(), AS_OF, 365)).toEqual(base);
      }),
    );
  });
});
