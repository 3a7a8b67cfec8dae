import { benefitPrice, entitlementState, entitlementsFor } from '../../domain/benefits';
import { readCatalogDocuments } from '../../prisma/seed';

const catalog = readCatalogDocuments().find((doc) => doc.id === '2026.4')!;
const benefit = (code: string) => catalog.benefits.find((candidate) => candidate.code === code)!;
const keys = (grants: ReturnType<typeof entitlementsFor>) => grants.map((grant) => `${grant.benefitCode}|${grant.sourceRef}`);

describe('entitlements a term gives (catalog 2026.4)', () => {
  it('gives Registered its own set: no logos, licenses or support incidents, the latest technologies instead', () => {
    const registered = keys(entitlementsFor(catalog.benefits, { level: 'registered', competencies: [], designations: [] }));
    expect(registered).toContain('latest-technologies|');
    expect(registered).toContain('partner-learning-center|');
    for (const code of ['partner-logos', 'internal-use-licenses', 'support-incidents-5', 'solution-finder-listing']) {
      expect(registered).not.toContain(`${code}|`);
    }
    // Optional benefits are bought, never included.
    expect(registered).not.toContain('msdn-subscription|');
  });

  it('counts units per level and adds one grant per competency and designation held', () => {
    const gold = entitlementsFor(catalog.benefits, {
      level: 'gold',
      competencies: ['security', 'data-management'],
      designations: ['small-business-specialist'],
    });
    const byKey = new Map(gold.map((grant) => [`${grant.benefitCode}|${grant.sourceRef}`, grant]));
    expect(byKey.get('internal-use-licenses|')).toMatchObject({ kind: 'license', quantity: 25, source: 'level' });
    expect(byKey.get('support-incidents-5|')).toMatchObject({ kind: 'counted', quantity: 5 });
    expect(byKey.get('technical-services-coordinator|')).toMatchObject({ kind: 'access', quantity: null });
    expect(byKey.get('competency-logo|security')).toMatchObject({ source: 'competency' });
    expect(byKey.get('competency-support-incidents|data-management')).toMatchObject({ quantity: 2 });
    expect(byKey.get('sbsc-toolkit|small-business-specialist')).toMatchObject({ source: 'designation', online: true });
    const certified = entitlementsFor(catalog.benefits, { level: 'certified', competencies: [], designations: [] });
    expect(certified.find((grant) => grant.benefitCode === 'internal-use-licenses')!.quantity).toBe(10);
  });

  it('keeps online access in grace after the term, ends everything ended early at once', () => {
    const window = {
      validFrom: new Date('2027-01-01T00:00:00Z'),
      validUntil: new Date('2028-01-01T00:00:00Z'),
      graceUntil: new Date('2028-01-31T00:00:00Z'),
      endedAt: null,
    };
    expect(entitlementState(window, new Date('2026-12-31T00:00:00Z'))).toBe('upcoming');
    expect(entitlementState(window, new Date('2027-06-01T00:00:00Z'))).toBe('active');
    expect(entitlementState(window, new Date('2028-01-15T00:00:00Z'))).toBe('grace');
    expect(entitlementState(window, new Date('2028-01-31T00:00:00Z'))).toBe('ended');
    expect(entitlementState({ ...window, graceUntil: null }, new Date('2028-01-15T00:00:00Z'))).toBe('ended');
    expect(entitlementState({ ...window, endedAt: new Date('2027-03-01T00:00:00Z') }, new Date('2027-06-01T00:00:00Z'))).toBe('ended');
  });
});

describe('optional benefits at member prices (catalog 2026.4)', () => {
  const msdn = benefit('msdn-subscription');

  it('prices per level, takes the largest competency saving that applies, and prorates by days left', () => {
    expect(benefitPrice(msdn, { level: 'registered', competencies: [] }, null)).toMatchObject({ listMinor: 120000, amountMinor: 108000 });
    expect(benefitPrice(msdn, { level: 'gold', competencies: [] }, null)).toMatchObject({ memberMinor: 60000, amountMinor: 60000 });
    expect(benefitPrice(msdn, { level: 'gold', competencies: ['isv-software', 'security'] }, null)).toMatchObject({
      discountBps: 1500,
      discountCompetency: 'isv-software',
      amountMinor: 51000,
    });
    expect(benefitPrice(msdn, { level: 'gold', competencies: [] }, { daysLeft: 73, termDays: 365 })).toMatchObject({
      proration: { daysLeft: 73, termDays: 365 },
      amountMinor: 12000,
    });
    // A whole term left is no proration at all.
    expect(benefitPrice(msdn, { level: 'gold', competencies: [] }, { daysLeft: 365, termDays: 365 })!.proration).toBeNull();
  });

  it('prices only optional benefits', () => {
    expect(benefitPrice(benefit('partner-logos'), { level: 'gold', competencies: [] }, null)).toBeNull();
  });
});
