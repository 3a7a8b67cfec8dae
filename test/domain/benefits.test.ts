import { benefitPrice, duplicatesSubscription, entitlementState, entitlementsFor, termProration } from '../../domain/benefits';
import { benefitPurchaseInvoice } from '../../domain/invoices';
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

describe('the invoice of an optional benefit (catalog 2026.4)', () => {
  const msdn = benefit('msdn-subscription');
  const amounts = (lines: Array<{ description: string; amountMinor: number }>) => lines.map((line) => [line.description, line.amountMinor]);

  it('states the list price, the member saving, the competency saving and the proration, adding up to the price', () => {
    // Gold with ISV Software, 73 of 365 days left: 1,200.00 list, 600.00 member, 15% off 510.00, prorated 102.00.
    const price = benefitPrice(msdn, { level: 'gold', competencies: ['isv-software'] }, { daysLeft: 73, termDays: 365 })!;
    const invoice = benefitPurchaseInvoice(msdn, price, 'Gold Certified Partner');
    expect(amounts(invoice.lines)).toEqual([
      ['MSDN subscription at member savings: list price for a membership term', 120000],
      ['Member saving, Gold Certified Partner', -60000],
      ['Competency saving 15% (isv-software)', -9000],
      ['Prorated: 73 of 365 days left in the term', -40800],
    ]);
    expect(invoice).toMatchObject({ currency: 'USD', subtotalMinor: 10200, taxMinor: 0, totalMinor: 10200 });
    expect(invoice.subtotalMinor).toBe(price.amountMinor);
  });

  it('prices Registered and Gold differently for a whole term, with no line for a saving that does not apply', () => {
    const registered = benefitPurchaseInvoice(msdn, benefitPrice(msdn, { level: 'registered', competencies: [] }, null)!, 'Registered');
    const gold = benefitPurchaseInvoice(msdn, benefitPrice(msdn, { level: 'gold', competencies: ['security'] }, null)!, 'Gold');
    expect(amounts(registered.lines)).toEqual([
      ['MSDN subscription at member savings: list price for a membership term', 120000],
      ['Member saving, Registered', -12000],
    ]);
    expect(registered.totalMinor).toBe(108000);
    expect(gold.totalMinor).toBe(60000);
    // A benefit whose level price is its list price has one line.
    const actionPack = benefit('action-pack');
    const listOnly = benefitPurchaseInvoice(
      actionPack,
      benefitPrice(actionPack, { level: 'registered', competencies: [] }, null)!,
      'Registered',
    );
    expect(amounts(listOnly.lines)).toEqual([['Action Pack subscription: list price for a membership term', 29900]]);
  });

  it('prorates by the days left in the term only when the catalog says daily, a started day counting', () => {
    const term = { start: new Date('2027-01-01T00:00:00Z'), end: new Date('2028-01-01T00:00:00Z') };
    expect(termProration(term, new Date('2027-10-20T12:00:00Z'), 'daily')).toEqual({ daysLeft: 73, termDays: 365 });
    expect(termProration(term, new Date('2027-10-20T12:00:00Z'), 'none')).toBeNull();
    expect(termProration(term, new Date('2027-10-20T12:00:00Z'), undefined)).toBeNull();
    // Whole minor units: 175.00 USD for 1 of 365 days is 47.9 cents, charged 0.48.
    const technet = benefit('technet-subscription');
    expect(benefitPrice(technet, { level: 'gold', competencies: [] }, { daysLeft: 1, termDays: 365 })!.amountMinor).toBe(48);
  });
});

describe('a purchase that duplicates a subscription', () => {
  const window = {
    validFrom: new Date('2027-01-01T00:00:00Z'),
    validUntil: new Date('2028-01-01T00:00:00Z'),
    graceUntil: new Date('2028-01-31T00:00:00Z'),
    endedAt: null,
  };
  const asOf = new Date('2027-06-01T00:00:00Z');

  it('is one while a subscription of the term runs or has yet to begin, or another purchase is in flight', () => {
    expect(duplicatesSubscription({ entitlements: [window], purchasesInFlight: 0 }, asOf)).toBe(true);
    expect(duplicatesSubscription({ entitlements: [window], purchasesInFlight: 0 }, new Date('2026-12-01T00:00:00Z'))).toBe(true);
    expect(duplicatesSubscription({ entitlements: [], purchasesInFlight: 1 }, asOf)).toBe(true);
  });

  it('is none once the subscription ended (or only its online grace is left), or with nothing held', () => {
    expect(duplicatesSubscription({ entitlements: [], purchasesInFlight: 0 }, asOf)).toBe(false);
    expect(duplicatesSubscription({ entitlements: [{ ...window, endedAt: asOf }], purchasesInFlight: 0 }, asOf)).toBe(false);
    expect(duplicatesSubscription({ entitlements: [window], purchasesInFlight: 0 }, new Date('2028-01-15T00:00:00Z'))).toBe(false);
  });
});
