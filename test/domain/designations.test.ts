import type { CatalogDesignation } from '../../domain/catalog';
import { assessDesignation, describeDesignationAssessment, type DesignationHoldings } from '../../domain/designations';
import { readCatalogDocuments } from '../../prisma/seed';

const sbsc = readCatalogDocuments()
  .find((doc) => doc.id === '2026.4')!
  .designations!.find((designation) => designation.code === 'small-business-specialist')!;

/** A Registered partner enrolled in the community as SB-7, with nothing else. */
const enrolled: DesignationHoldings = { level: 'registered', communityMemberIds: ['SB-7'], competencies: [], certifiedProfessionals: 0 };

describe('the Small Business Specialist designation (catalog 2026.4)', () => {
  it('is met by the community enrollment and a small-business competency, whatever the professionals', () => {
    const assessment = assessDesignation(sbsc, { ...enrolled, competencies: ['security', 'custom-development'] }, 'SB-7');
    expect(assessment).toMatchObject({ code: 'small-business-specialist', met: true, missing: [] });
    expect(assessment.checks.find((check) => check.requirement === 'competencies')).toMatchObject({
      have: 1,
      need: 1,
      held: ['security'],
      alternative: true,
    });
    expect(describeDesignationAssessment(assessment)).toBe(
      'level 1/1 (registered), communityEnrollment 1/1 (SB-7), competencies 1/1 (security), certifiedProfessionals 0/2',
    );
  });

  it('is met by enough certified professionals instead of a competency', () => {
    expect(assessDesignation(sbsc, { ...enrolled, certifiedProfessionals: 2 }, 'SB-7').met).toBe(true);
  });

  it('lists both alternatives as missing while neither is met, and a competency off the list does not count', () => {
    const assessment = assessDesignation(sbsc, { ...enrolled, competencies: ['custom-development'], certifiedProfessionals: 1 }, 'SB-7');
    expect(assessment.met).toBe(false);
    expect(assessment.missing).toEqual([
      expect.objectContaining({ requirement: 'competencies', have: 0, need: 1, held: [], alternative: true }),
      expect.objectContaining({ requirement: 'certifiedProfessionals', have: 1, need: 2, alternative: true }),
    ]);
  });

  it('asks for the community enrollment the application names, proven by evidence; the member id is matched without case', () => {
    const qualified = { ...enrolled, certifiedProfessionals: 3 };
    expect(assessDesignation(sbsc, qualified, ' sb-7 ').met).toBe(true);
    const other = assessDesignation(sbsc, qualified, 'SB-8');
    expect(other.missing).toEqual([
      { requirement: 'communityEnrollment', have: 0, need: 1, accepted: ['SB-8'], held: [], alternative: false },
    ]);
    expect(assessDesignation(sbsc, { ...qualified, communityMemberIds: [] }, 'SB-7').missing.map((check) => check.requirement)).toEqual([
      'communityEnrollment',
    ]);
  });

  it('asks for the minimum level and accepts every level above it', () => {
    const forCertified: CatalogDesignation = { ...sbsc, minLevel: 'certified' };
    const registered = assessDesignation(forCertified, { ...enrolled, certifiedProfessionals: 2 }, 'SB-7');
    expect(registered.missing).toEqual([
      { requirement: 'level', have: 0, need: 1, accepted: ['certified', 'gold'], held: [], alternative: false },
    ]);
    expect(assessDesignation(forCertified, { ...enrolled, level: 'gold', certifiedProfessionals: 2 }, 'SB-7').met).toBe(true);
  });

  it('asks nothing a designation does not state', () => {
    const levelOnly: CatalogDesignation = { ...sbsc, requirements: {} };
    const assessment = assessDesignation(levelOnly, { ...enrolled, communityMemberIds: [] }, 'none');
    expect(assessment).toMatchObject({ met: true, missing: [] });
    expect(assessment.checks.map((check) => check.requirement)).toEqual(['level']);
  });
});
