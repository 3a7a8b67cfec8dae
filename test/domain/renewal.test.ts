import { renewalFeeRules, scheduleDayMs, termEndAt, termMilestones } from '../../domain/renewal';
import { DAY_MS } from '../../domain/time';
import { readCatalogDocuments } from '../../prisma/seed';

const { rules } = readCatalogDocuments()[0];
const start = Date.parse('2026-03-31T10:00:00.000Z');

describe('renewal calendar', () => {
  it('ends a calendar term termMonths later and a scaled one after its minutes', () => {
    expect(new Date(termEndAt(start, { kind: 'calendar', termMonths: 12 })).toISOString()).toBe('2027-03-31T10:00:00.000Z');
    expect(termEndAt(start, { kind: 'scaled', termMonths: 12, termMinutes: 5 })).toBe(start + 5 * 60_000);
    // Extending from the end date: the second term ends a year after the first one's end.
    const firstEnd = termEndAt(start, { kind: 'calendar', termMonths: 12 });
    expect(new Date(termEndAt(firstEnd, { kind: 'calendar', termMonths: 12 })).toISOString()).toBe('2028-03-31T10:00:00.000Z');
  });

  it('places the catalog milestones from the term end, in order, status changes before notices', () => {
    const endMs = termEndAt(start, { kind: 'calendar', termMonths: 12 });
    const milestones = termMilestones({ startMs: start, endMs }, rules, DAY_MS);
    expect(milestones.map((milestone) => [milestone.key, Math.round((milestone.at - endMs) / DAY_MS)])).toEqual([
      ['term-starts', -365],
      ['window-opens', -90],
      ['decision', -60],
      ['notice:-30', -30],
      ['term-ends', 0],
      ['notice:0', 0],
      ['notice:7', 7],
    ]);
  });

  it('scales every offset with a term of minutes', () => {
    const timing = { kind: 'scaled', termMonths: 12, termMinutes: 73 } as const;
    const dayMs = scheduleDayMs(timing);
    expect(dayMs).toBe(12_000);
    const endMs = termEndAt(start, timing);
    const decision = termMilestones({ startMs: start, endMs }, rules, dayMs).find((milestone) => milestone.kind === 'decision')!;
    expect(endMs - decision.at).toBe(60 * 12_000);
  });

  it('makes the renewal invoice due at the term end and void when online benefits grace ends', () => {
    const endMs = start + 60 * DAY_MS;
    const fee = renewalFeeRules(rules.feePayment, {
      nowMs: start,
      termEndMs: endMs,
      graceDays: rules.onlineBenefitsGraceDays,
      dayMs: DAY_MS,
    });
    expect(fee).toMatchObject({ dueDays: 60, graceDays: 30, reminderOffsetsDays: rules.feePayment.reminderOffsetsDays });
    const scaled = renewalFeeRules(rules.feePayment, { nowMs: start, termEndMs: start + 60 * 12_000, graceDays: 30, dayMs: 12_000 });
    expect(scaled.dueDays * DAY_MS).toBeCloseTo(60 * 12_000);
    expect(scaled.graceDays * DAY_MS).toBeCloseTo(30 * 12_000);
  });
});
