import { DAY_MS } from './time';

/** The end of a membership term: `termMonths` calendar months after its start. */
export function termEnd(start: Date, termMonths: number): Date {
  const end = new Date(start);
  end.setUTCMonth(end.getUTCMonth() + termMonths);
  return end;
}

export interface TermSpan {
  start: Date;
  end: Date;
}

/** A term's length in days, and the days left in it at `asOf` (a started day counts as left). */
export function termDays(start: Date, termMonths: number, asOf: Date): { termDays: number; remainingDays: number } {
  return daysOfTerm({ start, end: termEnd(start, termMonths) }, asOf);
}

/** The same for a term whose end is known (a membership's, which a demo setting may shorten). */
export function daysOfTerm({ start, end }: TermSpan, asOf: Date): { termDays: number; remainingDays: number } {
  return {
    termDays: Math.round((end.getTime() - start.getTime()) / DAY_MS),
    remainingDays: daysUntil(asOf, end),
  };
}

/** Whole days from `from` until `to`, a started day counting as a whole one (never negative). */
export function daysUntil(from: Date, to: Date): number {
  return Math.max(0, Math.ceil((to.getTime() - from.getTime()) / DAY_MS));
}
