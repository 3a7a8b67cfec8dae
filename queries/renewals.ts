import type { DatabaseReader } from '../lib/database';
import type { Membership } from '../prisma/generated/client';
import { type KeysetPage, keysetQuery, type PageRequest } from './pagination';

/** A partner's membership as its workflow keeps the row: the current term and where its renewal stands. */
export interface MembershipView {
  partnerId: string;
  /** Set in renewal lists, which name each partner. */
  legalName?: string | null;
  termNumber: number;
  termStart: string;
  termEnd: string;
  level: string;
  status: string;
  statusReason: string | null;
  renewalLevel: string | null;
  renewalInvoiceId: string | null;
  nextMilestone: string | null;
  nextMilestoneAt: string | null;
}

export function toMembershipView(row: Membership, legalName?: string | null): MembershipView {
  return {
    partnerId: row.partnerId,
    ...(legalName !== undefined ? { legalName } : {}),
    termNumber: row.termNumber,
    termStart: row.termStart.toISOString(),
    termEnd: row.termEnd.toISOString(),
    level: row.level,
    status: row.status,
    statusReason: row.statusReason,
    renewalLevel: row.renewalLevel,
    renewalInvoiceId: row.renewalInvoiceId,
    nextMilestone: row.nextMilestone,
    nextMilestoneAt: row.nextMilestoneAt?.toISOString() ?? null,
  };
}

export async function findMembership(db: DatabaseReader, partnerId: string): Promise<MembershipView | null> {
  const row = await db.membership.findUnique({ where: { partnerId } });
  return row && toMembershipView(row);
}

/** Memberships by term end, oldest first, each with its partner's name (two queries per page). */
export async function listRenewals(
  db: DatabaseReader,
  filter: { status?: string; from?: Date; to?: Date },
  page: PageRequest,
): Promise<KeysetPage<MembershipView>> {
  const keyset = keysetQuery(page, 'termEnd', 'partnerId');
  const rows = await db.membership.findMany({
    where: {
      status: filter.status,
      termEnd: { ...(filter.from ? { gte: filter.from } : {}), ...(filter.to ? { lt: filter.to } : {}) },
      ...keyset.where,
    },
    orderBy: keyset.orderBy,
    take: keyset.take,
  });
  const names = await db.partner.findMany({
    where: { id: { in: rows.map((row) => row.partnerId) } },
    select: { id: true, legalName: true },
  });
  const nameOf = new Map(names.map((partner) => [partner.id, partner.legalName]));
  return keyset.page(rows, (row) => toMembershipView(row, nameOf.get(row.partnerId) ?? null));
}

/** Which of these partners have a membership. */
export async function partnersWithMembership(db: DatabaseReader, partnerIds: readonly string[]): Promise<Set<string>> {
  const rows = await db.membership.findMany({ where: { partnerId: { in: [...partnerIds] } }, select: { partnerId: true } });
  return new Set(rows.map((row) => row.partnerId));
}

/** Memberships that may still renew (not lapsed, withdrawn or consolidated), by partner id after `after`. */
export async function openMembershipPartnerIds(db: DatabaseReader, after: string | undefined, limit: number): Promise<string[]> {
  const rows = await db.membership.findMany({
    where: { status: { notIn: ['lapsed', 'withdrawn', 'consolidated'] }, ...(after ? { partnerId: { gt: after } } : {}) },
    select: { partnerId: true },
    orderBy: { partnerId: 'asc' },
    take: limit,
  });
  return rows.map((row) => row.partnerId);
}
