export const DAY_MS = 24 * 60 * 60 * 1000;

/** The end of a membership term: `termMonths` calendar months after its start. */
export function termEnd(start: Date, termMonths: number): Date {
  const end = new Date(start);
  end.setUTCMonth(end.getUTCMonth() + termMonths);
  return end;
}

/** A term's length in days, and the days left in it at `asOf` (a started day counts as left). */
export function termDays(start: Date, termMonths: number, asOf: Date): { termDays: number; remainingDays: number } {
  const end = termEnd(start, termMonths);
  return {
    termDays: Math.round((end.getTime() - start.getTime()) / DAY_MS),
    remainingDays: Math.max(0, Math.ceil((end.getTime() - asOf.getTime()) / DAY_MS)),
  };
}
