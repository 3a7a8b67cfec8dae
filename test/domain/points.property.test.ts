import fc from 'fast-check';
import type { CatalogDocument, CatalogLevel, CatalogPointSource, LevelCode } from '../../domain/catalog';
import { evaluateLevels, highestEligibleLevel, missingFor, type PartnerResources } from '../../domain/eligibility';
import {
  ageInDays,
  customerSatisfactionIndex,
  evidencePoints,
  isInWindow,
  leavesWindowAt,
  pointsBySource,
  pointsExpiringWithin,
  totalPoints,
  type LedgerEntry,
  type LedgerEntryKind,
} from '../../domain/points';
import { readCatalogDocuments } from '../../prisma/seed';
import { DAY_MS } from '../../domain/time';

// ---------- Fixtures and helpers ----------

const YEAR_MS = 365 * DAY_MS;

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

function loadCatalog(id: string): CatalogDocument {
  const doc = readCatalogDocuments().find((candidate) => candidate.id === id);
  if (!doc) throw new Error(`catalog ${id} not found in prisma/catalog`);
  return deepFreeze(doc);
}

/** The published catalog, frozen: nothing under test may mutate it. */
const catalog = loadCatalog('2026.1');
const sources = catalog.pointSources;
const levels = catalog.levels;

function sourceNamed(code: string, doc: CatalogDocument = catalog): CatalogPointSource {
  const source = doc.pointSources.find((candidate) => candidate.code === code);
  if (!source) throw new Error(`point source ${code} not in catalog ${doc.id}`);
  return source;
}

function levelNamed(code: LevelCode, doc: CatalogDocument = catalog): CatalogLevel {
  const level = doc.levels.find((candidate) => candidate.code === code);
  if (!level) throw new Error(`level ${code} not in catalog ${doc.id}`);
  return level;
}

/** A new catalog version: a deep copy of `base` with `edit` applied, then frozen. */
function newVersion(base: CatalogDocument, id: string, edit: (draft: CatalogDocument) => void): CatalogDocument {
  const draft = structuredClone(base) as CatalogDocument;
  draft.id = id;
  edit(draft);
  return deepFreeze(draft);
}

const iso = (ms: number): string => new Date(ms).toISOString();

function entry(sourceCode: string, points: number, occurredAtMs: number, kind: LedgerEntryKind = 'award'): LedgerEntry {
  return { sourceCode, points, kind, occurredAt: iso(occurredAtMs) };
}

/** Independent model of the window: counts from the award instant until (windowDays + 1) whole days have passed. */
function modelEarned(entries: readonly LedgerEntry[], source: CatalogPointSource, asOfMs: number): number {
  return entries
    .filter((e) => e.kind !== 'expiry' && e.sourceCode === source.code)
    .filter((e) => {
      const ageMs = asOfMs - Date.parse(e.occurredAt);
      return ageMs >= 0 && ageMs < (source.windowDays + 1) * DAY_MS;
    })
    .reduce((sum, e) => sum + e.points, 0);
}

function capOf(source: CatalogPointSource): number | null {
  return typeof source.rule.cap === 'number' ? source.rule.cap : null;
}

const rankOf = (code: LevelCode | null, doc: CatalogDocument = catalog): number => (code === null ? 0 : levelNamed(code, doc).rank);

/** Everything the standing derives from a ledger under one catalog version. */
function evaluate(entries: readonly LedgerEntry[], doc: CatalogDocument, asOf: string, others: Omit<PartnerResources, 'points'>) {
  const bySource = pointsBySource(entries, doc.pointSources, asOf);
  const points = totalPoints(entries, doc.pointSources, asOf);
  const expiring = pointsExpiringWithin(entries, doc.pointSources, asOf, doc.rules.standingExpiryHorizonDays);
  const resources: PartnerResources = { ...others, points };
  return {
    bySource,
    points,
    expiring,
    levels: evaluateLevels(doc.levels, resources),
    highest: highestEligibleLevel(doc.levels, resources),
  };
}

// ---------- Shared arbitraries ----------

/** Evaluation instants between 2000 and 2090, to the millisecond. */
const asOfMsArb = fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2090, 0, 1) });

const sourceCodeArb = fc.constantFrom(...sources.map((source) => source.code));
const sourceArb = fc.constantFrom(...sources);
const kindArb = fc.constantFrom<LedgerEntryKind>('award', 'correction', 'transfer', 'expiry');

/** Any integer, with small values (and negative corrections) well represented. */
const pointsArb = fc.oneof(fc.integer({ min: -100, max: 100 }), fc.integer());

/** How old an entry is at asOf: ~3 years back, some in the future, with the window edges hit often. */
const ageMsArb = fc.oneof(
  { arbitrary: fc.integer({ min: -90 * DAY_MS, max: 3 * YEAR_MS }), weight: 4 },
  {
    arbitrary: fc.constantFrom(-1, 0, 365 * DAY_MS, 366 * DAY_MS - 1, 366 * DAY_MS, 730 * DAY_MS, 731 * DAY_MS),
    weight: 1,
  },
);

/** An arbitrary ledger around an arbitrary asOf: any kind, any points, any date. */
const ledgerArb = fc
  .record({
    asOfMs: asOfMsArb,
    drafts: fc.array(fc.record({ sourceCode: sourceCodeArb, kind: kindArb, points: pointsArb, ageMs: ageMsArb }), { maxLength: 60 }),
  })
  .map(({ asOfMs, drafts }) => ({
    asOfMs,
    asOf: iso(asOfMs),
    entries: drafts.map((d) => entry(d.sourceCode, d.points, asOfMs - d.ageMs, d.kind)),
  }));

/**
 * A well-formed ledger: non-negative awards and transfers dated up to asOf, each correction
 * carrying its award's date and never taking it below zero, and expiry markers.
 */
const wellFormedLedgerArb = fc
  .record({
    asOfMs: asOfMsArb,
    awards: fc.array(
      fc.record({
        sourceCode: sourceCodeArb,
        kind: fc.constantFrom<LedgerEntryKind>('award', 'transfer'),
        points: fc.integer({ min: 0, max: 60 }),
        ageMs: fc.integer({ min: 0, max: 3 * YEAR_MS }),
        correction: fc.option(fc.integer({ min: -60, max: 10 })),
        expiryMarker: fc.boolean(),
      }),
      { maxLength: 60 },
    ),
  })
  .map(({ asOfMs, awards }) => ({
    asOfMs,
    asOf: iso(asOfMs),
    entries: awards.flatMap((a) => {
      const at = asOfMs - a.ageMs;
      const out = [entry(a.sourceCode, a.points, at, a.kind)];
      if (a.correction !== null) out.push(entry(a.sourceCode, Math.max(-a.points, a.correction), at, 'correction'));
      if (a.expiryMarker) out.push(entry(a.sourceCode, -a.points, at, 'expiry'));
      return out;
    }),
  }));

const otherResourcesArb = fc.record({
  grantedCompetencies: fc.integer({ min: 0, max: 4 }),
  primaryLocations: fc.integer({ min: 0, max: 3 }),
  termsAccepted: fc.boolean(),
});

const resourcesArb: fc.Arbitrary<PartnerResources> = fc
  .record({ points: fc.integer({ min: -20, max: 400 }), others: otherResourcesArb })
  .map(({ points, others }) => ({ ...others, points }));

/** A catalog change of the kind a new version could publish. */
const catalogChangeArb = fc.record({
  certifiedMinPoints: fc.integer({ min: 0, max: 200 }),
  goldMinPoints: fc.integer({ min: 0, max: 300 }),
  certifiedProfessionalCap: fc.option(fc.integer({ min: 0, max: 120 })),
  windowDays: fc.integer({ min: 30, max: 1000 }),
  windowSource: sourceCodeArb,
});
type CatalogChange = typeof catalogChangeArb extends fc.Arbitrary<infer T> ? T : never;

const horizonDaysArb = fc.oneof(fc.constant(catalog.rules.standingExpiryHorizonDays), fc.integer({ min: 0, max: 800 }));

// ---------- 1. Points are never negative ----------

describe('points are never negative', () => {
  it('every source counts >= 0 and the total is >= 0, for any ledger', () => {
    fc.assert(
      fc.property(ledgerArb, ({ asOf, entries }) => {
        for (const total of pointsBySource(entries, sources, asOf)) expect(total.counted).toBeGreaterThanOrEqual(0);
        expect(totalPoints(entries, sources, asOf)).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  it('the total is the sum of what each source counts, and expiry entries never change it', () => {
    fc.assert(
      fc.property(ledgerArb, ({ asOf, entries }) => {
        const bySource = pointsBySource(entries, sources, asOf);
        expect(totalPoints(entries, sources, asOf)).toBe(bySource.reduce((sum, total) => sum + total.counted, 0));
        const withoutExpiry = entries.filter((e) => e.kind !== 'expiry');
        expect(pointsBySource(withoutExpiry, sources, asOf)).toEqual(bySource);
      }),
    );
  });
});

// ---------- 2. Caps ----------

describe('caps are respected', () => {
  const certified = sourceNamed('certified-professional');

  it('the catalog caps certified-professional at 40', () => {
    expect(capOf(certified)).toBe(40);
    const asOfMs = Date.UTC(2026, 5, 1);
    const hundredProfessionals = Array.from({ length: 100 }, (_, i) => entry(certified.code, 3, asOfMs - i * DAY_MS));
    expect(pointsBySource(hundredProfessionals, sources, iso(asOfMs))).toEqual([
      { sourceCode: certified.code, earned: 300, counted: 40, cap: 40 },
    ]);
  });

  it('certified-professional never counts more than its cap, however many awards', () => {
    fc.assert(
      fc.property(
        asOfMsArb,
        fc.array(fc.record({ points: fc.integer({ min: 0, max: 3 }), ageMs: fc.integer({ min: 0, max: 365 * DAY_MS }) }), {
          minLength: 1,
          maxLength: 200,
          // Long ledgers too, so the sum regularly goes past the cap.
          size: 'max',
        }),
        (asOfMs, awards) => {
          const entries = awards.map((a) => entry(certified.code, a.points, asOfMs - a.ageMs));
          const earned = awards.reduce((sum, a) => sum + a.points, 0);
          const [total] = pointsBySource(entries, sources, iso(asOfMs));
          expect(total).toEqual({ sourceCode: certified.code, earned, counted: Math.min(earned, 40), cap: 40 });
          expect(totalPoints(entries, sources, iso(asOfMs))).toBeLessThanOrEqual(40);
        },
      ),
    );
  });

  it('counted == min(max(0, earned), cap) for capped sources and max(0, earned) otherwise', () => {
    fc.assert(
      fc.property(ledgerArb, ({ asOfMs, asOf, entries }) => {
        const bySource = new Map(pointsBySource(entries, sources, asOf).map((total) => [total.sourceCode, total]));
        for (const source of sources) {
          const total = bySource.get(source.code);
          const earned = modelEarned(entries, source, asOfMs);
          if (!total) {
            expect(earned).toBe(0);
            continue;
          }
          const cap = capOf(source);
          expect(total.earned).toBe(earned);
          expect(total.cap).toBe(cap);
          expect(total.counted).toBe(cap === null ? Math.max(0, earned) : Math.min(Math.max(0, earned), cap));
        }
      }),
    );
  });
});

// ---------- 3. Window boundaries ----------

describe('window boundaries are exact', () => {
  const countsAlone = (source: CatalogPointSource, occurredAtMs: number, asOf: string) =>
    totalPoints([entry(source.code, 1, occurredAtMs)], sources, asOf);

  it('every catalog source uses the 365-day window', () => {
    for (const source of sources) expect(source.windowDays).toBe(365);
    expect(catalog.rules.pointsWindowDays).toBe(365);
  });

  it('an award exactly windowDays whole days old counts, to the last millisecond of that day', () => {
    const withinLastDay = fc.oneof(
      fc.constantFrom(0, 23 * 60 * 60 * 1000 + 59 * 60 * 1000, DAY_MS - 1),
      fc.integer({ min: 0, max: DAY_MS - 1 }),
    );
    fc.assert(
      fc.property(asOfMsArb, sourceArb, withinLastDay, (asOfMs, source, extraMs) => {
        const asOf = iso(asOfMs);
        const occurredAtMs = asOfMs - source.windowDays * DAY_MS - extraMs;
        expect(ageInDays(iso(occurredAtMs), asOf)).toBe(source.windowDays);
        expect(isInWindow(iso(occurredAtMs), asOf, source.windowDays)).toBe(true);
        expect(countsAlone(source, occurredAtMs, asOf)).toBe(1);
      }),
    );
  });

  it('an award windowDays + 1 (or more) whole days old does not count', () => {
    fc.assert(
      fc.property(asOfMsArb, sourceArb, fc.integer({ min: 0, max: 2 * YEAR_MS }), (asOfMs, source, extraMs) => {
        const asOf = iso(asOfMs);
        const occurredAtMs = asOfMs - (source.windowDays + 1) * DAY_MS - extraMs;
        expect(ageInDays(iso(occurredAtMs), asOf)).toBeGreaterThanOrEqual(source.windowDays + 1);
        expect(isInWindow(iso(occurredAtMs), asOf, source.windowDays)).toBe(false);
        expect(countsAlone(source, occurredAtMs, asOf)).toBe(0);
      }),
    );
  });

  it('an award dated after asOf does not count, one dated exactly at asOf does', () => {
    fc.assert(
      fc.property(asOfMsArb, sourceArb, fc.integer({ min: 1, max: 2 * YEAR_MS }), (asOfMs, source, aheadMs) => {
        const asOf = iso(asOfMs);
        expect(ageInDays(iso(asOfMs + aheadMs), asOf)).toBeLessThan(0);
        expect(isInWindow(iso(asOfMs + aheadMs), asOf, source.windowDays)).toBe(false);
        expect(countsAlone(source, asOfMs + aheadMs, asOf)).toBe(0);
        expect(ageInDays(asOf, asOf)).toBe(0);
        expect(countsAlone(source, asOfMs, asOf)).toBe(1);
      }),
    );
  });

  it('isInWindow agrees with the millisecond model and with leavesWindowAt, for any window', () => {
    fc.assert(
      fc.property(asOfMsArb, ageMsArb, fc.integer({ min: 0, max: 1000 }), (asOfMs, ageMs, windowDays) => {
        const occurredAt = iso(asOfMs - ageMs);
        expect(isInWindow(occurredAt, iso(asOfMs), windowDays)).toBe(ageMs >= 0 && ageMs < (windowDays + 1) * DAY_MS);
        const leavesMs = Date.parse(leavesWindowAt(occurredAt, windowDays));
        expect(isInWindow(occurredAt, iso(leavesMs), windowDays)).toBe(false);
        expect(isInWindow(occurredAt, iso(leavesMs - 1), windowDays)).toBe(true);
      }),
    );
  });
});

// ---------- 4. Eligibility is monotone in points ----------

describe('eligibility is monotone in points', () => {
  const levelsInAnyOrder = fc.shuffledSubarray([...levels], { minLength: levels.length, maxLength: levels.length });

  it('a level eligible with N points is eligible with any M >= N', () => {
    fc.assert(
      fc.property(resourcesArb, fc.nat({ max: 500 }), (resources, more) => {
        const richer = { ...resources, points: resources.points + more };
        const before = evaluateLevels(levels, resources);
        const after = evaluateLevels(levels, richer);
        before.forEach((evaluation, index) => {
          expect(after[index].level).toBe(evaluation.level);
          if (evaluation.eligible) expect(after[index].eligible).toBe(true);
        });
      }),
    );
  });

  it('the highest eligible rank never decreases as points grow', () => {
    fc.assert(
      fc.property(otherResourcesArb, fc.array(fc.integer({ min: -20, max: 400 }), { minLength: 2, maxLength: 20 }), (others, points) => {
        const ranks = [...points].sort((a, b) => a - b).map((p) => rankOf(highestEligibleLevel(levels, { ...others, points: p })));
        ranks.slice(1).forEach((rank, index) => expect(rank).toBeGreaterThanOrEqual(ranks[index]));
      }),
    );
  });

  it('reports the points gap as { requirement: points, have, need: minPoints } exactly when have < need', () => {
    fc.assert(
      fc.property(resourcesArb, (resources) => {
        for (const level of levels) {
          const gap = missingFor(level, resources).filter((item) => item.requirement === 'points');
          if (resources.points < level.minPoints) {
            expect(gap).toEqual([{ requirement: 'points', have: resources.points, need: level.minPoints }]);
          } else {
            expect(gap).toEqual([]);
          }
        }
      }),
    );
  });

  it('evaluateLevels is ordered by rank, agrees with missingFor and highestEligibleLevel, whatever the input order', () => {
    fc.assert(
      fc.property(resourcesArb, levelsInAnyOrder, (resources, shuffled) => {
        const evaluations = evaluateLevels(shuffled, resources);
        expect(evaluations.map((evaluation) => evaluation.level)).toEqual([...levels].sort((a, b) => a.rank - b.rank).map((l) => l.code));
        for (const evaluation of evaluations) {
          const missing = missingFor(levelNamed(evaluation.level), resources);
          expect(evaluation.missing).toEqual(missing);
          expect(evaluation.eligible).toBe(missing.length === 0);
        }
        const best = evaluations.filter((evaluation) => evaluation.eligible).pop()?.level ?? null;
        expect(highestEligibleLevel(shuffled, resources)).toBe(best);
      }),
    );
  });
});

// ---------- 5. Catalog versions ----------

describe('a new catalog version changes only evaluations made with it', () => {
  function applyChange(base: CatalogDocument, change: CatalogChange): CatalogDocument {
    return newVersion(base, `${base.id}-next`, (draft) => {
      levelNamed('certified', draft).minPoints = change.certifiedMinPoints;
      levelNamed('gold', draft).minPoints = change.goldMinPoints;
      const certified = sourceNamed('certified-professional', draft);
      if (change.certifiedProfessionalCap === null) delete certified.rule.cap;
      else certified.rule.cap = change.certifiedProfessionalCap;
      sourceNamed(change.windowSource, draft).windowDays = change.windowDays;
    });
  }

  it('evaluation is a pure function of (entries, version, asOf): frozen inputs, old results unchanged', () => {
    fc.assert(
      fc.property(ledgerArb, otherResourcesArb, catalogChangeArb, ({ asOf, entries }, others, change) => {
        const frozenEntries = deepFreeze(entries.map((e) => ({ ...e })));
        const snapshot = JSON.stringify({ catalog, frozenEntries });

        const before = evaluate(frozenEntries, catalog, asOf, others);
        const next = applyChange(catalog, change);
        const after = evaluate(frozenEntries, catalog, asOf, others);
        const withNext = evaluate(frozenEntries, next, asOf, others);

        expect(after).toEqual(before);
        expect(evaluate(frozenEntries, next, asOf, others)).toEqual(withNext);
        expect(JSON.stringify({ catalog, frozenEntries })).toBe(snapshot);
        expect(levelNamed('certified').minPoints).toBe(50);
        expect(capOf(sourceNamed('certified-professional'))).toBe(40);
      }),
    );
  });

  it('the new version can flip certified eligibility (certified minPoints 50 -> 40)', () => {
    const asOfMs = Date.UTC(2026, 5, 1);
    const entries = deepFreeze(Array.from({ length: 15 }, (_, i) => entry('certified-professional', 3, asOfMs - i * DAY_MS)));
    const others = { grantedCompetencies: 1, primaryLocations: 1, termsAccepted: true };
    const next = newVersion(catalog, '2026.2', (draft) => {
      levelNamed('certified', draft).minPoints = 40;
    });

    const old = evaluate(entries, catalog, iso(asOfMs), others);
    expect(old.points).toBe(40);
    expect(old.highest).toBe('registered');
    expect(old.levels.find((l) => l.level === 'certified')?.missing).toEqual([{ requirement: 'points', have: 40, need: 50 }]);

    const updated = evaluate(entries, next, iso(asOfMs), others);
    expect(updated.points).toBe(40);
    expect(updated.highest).toBe('certified');
    expect(evaluate(entries, catalog, iso(asOfMs), others)).toEqual(old);
  });

  it('the new version can flip eligibility through a source cap or window change', () => {
    const asOfMs = Date.UTC(2026, 5, 1);
    const others = { grantedCompetencies: 1, primaryLocations: 1, termsAccepted: true };
    const entries = deepFreeze([
      ...Array.from({ length: 15 }, (_, i) => entry('certified-professional', 3, asOfMs - i * DAY_MS)),
      entry('business-win', 5, asOfMs - 400 * DAY_MS),
    ]);
    const raisedCap = newVersion(catalog, '2026.2', (draft) => {
      sourceNamed('certified-professional', draft).rule.cap = 60;
    });
    const longerWindow = newVersion(catalog, '2026.3', (draft) => {
      sourceNamed('business-win', draft).windowDays = 730;
    });

    expect(evaluate(entries, catalog, iso(asOfMs), others)).toMatchObject({ points: 40, highest: 'registered' });
    expect(evaluate(entries, raisedCap, iso(asOfMs), others)).toMatchObject({ points: 45, highest: 'registered' });
    expect(evaluate(entries, longerWindow, iso(asOfMs), others)).toMatchObject({ points: 45, highest: 'registered' });
    const both = newVersion(raisedCap, '2026.4', (draft) => {
      sourceNamed('business-win', draft).windowDays = 730;
    });
    expect(evaluate(entries, both, iso(asOfMs), others)).toMatchObject({ points: 50, highest: 'certified' });
    expect(evaluate(entries, catalog, iso(asOfMs), others)).toMatchObject({ points: 40, highest: 'registered' });
  });
});

// ---------- Evidence, satisfaction, expiry ----------

describe('evidencePoints', () => {
  it.each([
    [0, 0],
    [1, 1],
    [2, 2],
    [3, 3],
    [4, 3],
    [9, 3],
  ])('certified-professional with %i certifications earns %i', (certifications, points) => {
    const details = {
      personName: 'Ada',
      email: 'ada@example.com',
      certificationIds: Array.from({ length: certifications }, (_, i) => `MCP-${i}`),
    };
    expect(evidencePoints('certified-professional', details, sourceNamed('certified-professional'))).toBe(points);
  });

  it.each([
    ['software-certification', 'passed', 10],
    ['validation-testing', 'passed', 5],
    ['hardware-lab', 'passed', 5],
    ['software-certification', 'failed', 0],
    ['validation-testing', 'failed', 0],
    ['hardware-lab', 'failed', 0],
  ] as const)('tested-solution %s %s earns %i', (testType, result, points) => {
    const details = { solutionName: 'Fabrikam ERP', testType, testId: 'T-1', result };
    expect(evidencePoints('tested-solution', details, sourceNamed('tested-solution'))).toBe(points);
  });

  it.each([
    [0, 0],
    [1, 2],
    [49, 2],
    [50, 5],
    [249, 5],
    [250, 10],
    [999, 10],
    [1000, 20],
    [100000, 20],
  ])('product-sales of %i units earns the highest band reached: %i', (units, points) => {
    expect(evidencePoints('product-sales', { productLine: 'Office', period: '2026-Q1', units }, sourceNamed('product-sales'))).toBe(points);
  });

  it.each([
    [0, 0],
    [2, 0],
    [3, 3],
    [5, 3],
    [6, 6],
    [10, 9],
  ])('conference with %i staff earns 3 points per full group of 3: %i', (staffAttending, points) => {
    expect(evidencePoints('conference', { conferenceYear: 2026, staffAttending }, sourceNamed('conference'))).toBe(points);
  });
});

describe('customerSatisfactionIndex', () => {
  const rule = catalog.rules.customerSatisfaction;
  const answerArb = fc.integer({ min: 1, max: rule.scale });
  const responsesArb = (minLength: number, maxLength: number) =>
    fc.array(fc.array(answerArb, { minLength: 1, maxLength: 10 }), { minLength, maxLength });

  it('is null below minResponses', () => {
    expect(rule.minResponses).toBe(5);
    fc.assert(
      fc.property(responsesArb(0, rule.minResponses - 1), (answers) => expect(customerSatisfactionIndex(answers, rule)).toBeNull()),
    );
  });

  it('gives 100 when every answer is the top of the scale and 0 when every answer is 1', () => {
    const uniform = (score: number) => Array.from({ length: rule.minResponses }, () => [score, score, score]);
    expect(customerSatisfactionIndex(uniform(rule.scale), rule)).toBe(100);
    expect(customerSatisfactionIndex(uniform(1), rule)).toBe(0);
  });

  it('is an integer within 0..100 once enough customers answered', () => {
    fc.assert(
      fc.property(responsesArb(rule.minResponses, 30), (answers) => {
        const index = customerSatisfactionIndex(answers, rule);
        expect(Number.isInteger(index)).toBe(true);
        expect(index).toBeGreaterThanOrEqual(0);
        expect(index).toBeLessThanOrEqual(100);
      }),
    );
  });
});

describe('pointsExpiringWithin', () => {
  const laterOf = (asOfMs: number, horizonDays: number) => iso(asOfMs + horizonDays * DAY_MS);

  it('is exactly total(now) - total(now + horizon) when nothing is dated after now', () => {
    fc.assert(
      fc.property(wellFormedLedgerArb, horizonDaysArb, ({ asOfMs, asOf, entries }, horizonDays) => {
        const expiring = pointsExpiringWithin(entries, sources, asOf, horizonDays);
        const drop = totalPoints(entries, sources, asOf) - totalPoints(entries, sources, laterOf(asOfMs, horizonDays));
        expect(expiring.points).toBe(drop);
        expect(expiring.points).toBe(expiring.bySource.reduce((sum, total) => sum + total.counted, 0));
      }),
    );
  });

  it('is never negative and never more than counts today, for any ledger', () => {
    fc.assert(
      fc.property(ledgerArb, horizonDaysArb, ({ asOf, entries }, horizonDays) => {
        const expiring = pointsExpiringWithin(entries, sources, asOf, horizonDays);
        expect(expiring.points).toBeGreaterThanOrEqual(0);
        expect(expiring.points).toBeLessThanOrEqual(totalPoints(entries, sources, asOf));
        for (const total of expiring.bySource) expect(total.counted).toBeGreaterThan(0);
      }),
    );
  });

  it('counts an award leaving the window during the horizon and nothing with a zero horizon', () => {
    const asOfMs = Date.UTC(2026, 5, 1);
    const entries = [entry('business-win', 2, asOfMs - 300 * DAY_MS), entry('business-win', 2, asOfMs - 100 * DAY_MS)];
    expect(pointsExpiringWithin(entries, sources, iso(asOfMs), 90)).toEqual({
      points: 2,
      bySource: [{ sourceCode: 'business-win', earned: 4, counted: 2, cap: null }],
    });
    expect(pointsExpiringWithin(entries, sources, iso(asOfMs), 0)).toEqual({ points: 0, bySource: [] });
  });
});
