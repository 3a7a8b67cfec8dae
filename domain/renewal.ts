/**
 * The renewal calendar of a membership term: pure date arithmetic shared by the membership
 * workflow (which sets its timers from it) and its tests.
 */
import type { FeePaymentRules, ProgramRules } from './catalog';
import { termEnd } from './terms';
import { DAY_MS } from './time';

/**
 * How long a term lasts: the catalog's calendar months, or (for demos and tests) a term of a
 * few minutes in which every day-based offset shrinks in proportion.
 */
export type TermTiming = { kind: 'calendar'; termMonths: number } | { kind: 'scaled'; termMonths: number; termMinutes: number };

/** The catalog rules that place a term's milestones. */
export type RenewalScheduleRules = Pick<ProgramRules, 'renewalWindowOpensDaysBefore' | 'onlineBenefitsGraceDays' | 'renewal'>;

/** A term's timing under the catalog's `termMonths`, or in minutes when a demo setting shortens terms. */
export function termTiming(termMonths: number, termMinutes?: number): TermTiming {
  return termMinutes ? { kind: 'scaled', termMonths, termMinutes } : { kind: 'calendar', termMonths };
}

/** What one schedule "day" lasts: a real day, or the scaled term's share of one. */
export function scheduleDayMs(timing: TermTiming): number {
  if (timing.kind === 'calendar') return DAY_MS;
  const nominalTermDays = (timing.termMonths * 365) / 12;
  return Math.max(1, Math.round((timing.termMinutes * 60_000) / nominalTermDays));
}

/** When a term that starts at `startMs` ends: `termMonths` calendar months later, or the scaled minutes. */
export function termEndAt(startMs: number, timing: TermTiming): number {
  if (timing.kind === 'scaled') return startMs + timing.termMinutes * 60_000;
  return termEnd(new Date(startMs), timing.termMonths).getTime();
}

export type TermMilestoneKind = 'term-starts' | 'window-opens' | 'decision' | 'term-ends' | 'notice';

export interface TermMilestone {
  kind: TermMilestoneKind;
  /** Unique within a term, so a run that continues as new knows which ones already happened. */
  key: string;
  at: number;
  /** For notices: days from the term end (negative: before it). */
  daysFromEnd: number;
}

/** At one instant, the status changes come before the notices that describe them. */
const SAME_INSTANT_ORDER: Record<TermMilestoneKind, number> = {
  'term-starts': 0,
  'window-opens': 1,
  decision: 2,
  'term-ends': 3,
  notice: 4,
};

/**
 * Every milestone of a term, in time order: its start (the level takes effect), the renewal
 * window opening, the decision point, the end, and the notices relative to the end.
 */
export function termMilestones(term: { startMs: number; endMs: number }, rules: RenewalScheduleRules, dayMs: number): TermMilestone[] {
  const fromEnd = (days: number) => term.endMs + days * dayMs;
  const milestones: TermMilestone[] = [
    { kind: 'term-starts', key: 'term-starts', at: term.startMs, daysFromEnd: 0 },
    {
      kind: 'window-opens',
      key: 'window-opens',
      at: fromEnd(-rules.renewalWindowOpensDaysBefore),
      daysFromEnd: -rules.renewalWindowOpensDaysBefore,
    },
    {
      kind: 'decision',
      key: 'decision',
      at: fromEnd(-rules.renewal.decisionDaysBeforeEnd),
      daysFromEnd: -rules.renewal.decisionDaysBeforeEnd,
    },
    { kind: 'term-ends', key: 'term-ends', at: term.endMs, daysFromEnd: 0 },
    ...rules.renewal.noticeDaysFromEnd.map((days): TermMilestone => ({
      kind: 'notice',
      key: `notice:${days}`,
      at: fromEnd(days),
      daysFromEnd: days,
    })),
  ];
  return milestones.sort((a, b) => a.at - b.at || SAME_INSTANT_ORDER[a.kind] - SAME_INSTANT_ORDER[b.kind]);
}

/**
 * The fee-payment rules for a renewal invoice issued at `nowMs` and due at the term end: void
 * once online benefits' grace after the end has passed, reminders at the catalog's offsets,
 * all in the term's schedule days (the fee workflow counts real days).
 */
export function renewalFeeRules(
  feePayment: FeePaymentRules,
  at: { nowMs: number; termEndMs: number; graceDays: number; dayMs: number },
): FeePaymentRules {
  const inRealDays = (scheduleDays: number) => (scheduleDays * at.dayMs) / DAY_MS;
  return {
    ...feePayment,
    dueDays: Math.max(0, at.termEndMs - at.nowMs) / DAY_MS,
    graceDays: inRealDays(at.graceDays),
    reminderOffsetsDays: feePayment.reminderOffsetsDays.map(inRealDays),
  };
}

/**
 * Until when a competency granted at `grantedMs` counts: a grant is valid for the membership year,
 * to the end of the term it was granted in, and re-verified at that term's renewal decision. One
 * granted after the decision (the next term's level already decided) is valid for the next term too.
 */
export function competencyValidUntil(term: { endMs: number }, grantedMs: number, rules: RenewalScheduleRules, timing: TermTiming): number {
  const decisionAt = term.endMs - rules.renewal.decisionDaysBeforeEnd * scheduleDayMs(timing);
  return grantedMs < decisionAt ? term.endMs : termEndAt(term.endMs, timing);
}
