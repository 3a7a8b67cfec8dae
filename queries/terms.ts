import { type TermSpan, termEnd } from '../domain/terms';
import type { DatabaseReader } from '../lib/database';

/**
 * The partner's current membership term: the one its membership workflow keeps, or, for a
 * partner activated before memberships existed, the first term from its activation.
 */
export async function currentTermOf(
  db: DatabaseReader,
  partner: { id: string; activatedAt: Date | null },
  termMonths: number,
): Promise<TermSpan | null> {
  const membership = await db.membership.findUnique({ where: { partnerId: partner.id }, select: { termStart: true, termEnd: true } });
  if (membership) return { start: membership.termStart, end: membership.termEnd };
  return partner.activatedAt ? { start: partner.activatedAt, end: termEnd(partner.activatedAt, termMonths) } : null;
}
