import type { CustomerSatisfactionRules } from '../domain/catalog';
import { isInWindow, measureSatisfaction, partnerDomains, type SatisfactionMeasure } from '../domain/points';
import { DAY_MS } from '../domain/time';
import type { DatabaseReader } from '../lib/database';

/** A survey invitation as the customer's answer finds it: by the hash of its single-use token. */
export async function findInvitationByTokenHash(
  db: DatabaseReader,
  tokenHash: string,
): Promise<{ workflowId: string; status: string; expiresAt: Date } | null> {
  return db.surveyInvitation.findUnique({ where: { tokenHash }, select: { workflowId: true, status: true, expiresAt: true } });
}

/** The partner's invitations since `since`: how many in all, and how many to this address. */
export async function invitationsSince(
  db: DatabaseReader,
  partnerId: string,
  since: Date,
  customerEmail: string,
): Promise<{ total: number; toRecipient: number }> {
  const [total, toRecipient] = await Promise.all([
    db.surveyInvitation.count({ where: { partnerId, createdAt: { gte: since } } }),
    db.surveyInvitation.count({
      where: { partnerId, createdAt: { gte: since }, customerEmail: { equals: customerEmail, mode: 'insensitive' } },
    }),
  ]);
  return { total, toRecipient };
}

export interface SatisfactionView extends SatisfactionMeasure {
  partnerId: string;
  asOf: string;
  /** The trailing window the answers count in (the customer-satisfaction point source's). */
  windowDays: number;
  minResponses: number;
  minIndex: number;
  minDistinctOrganizations: number;
  invitations: Array<{
    id: string;
    customerEmail: string;
    status: string;
    createdAt: string;
    expiresAt: string;
    answeredAt: string | null;
  }>;
}

/** The partner's Customer Satisfaction Index as it stands, with its invitations of the window, newest first. */
export async function findSatisfaction(
  db: DatabaseReader,
  partner: { id: string; website: string; contactEmail: string },
  rules: CustomerSatisfactionRules,
  windowDays: number,
  asOf: Date,
): Promise<SatisfactionView> {
  const rows = await db.surveyInvitation.findMany({
    where: { partnerId: partner.id, createdAt: { gte: new Date(asOf.getTime() - (windowDays + 1) * DAY_MS) } },
    orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
  });
  const answered = rows.filter((row) => row.answeredAt && isInWindow(row.answeredAt.toISOString(), asOf.toISOString(), windowDays));
  return {
    partnerId: partner.id,
    asOf: asOf.toISOString(),
    windowDays,
    minResponses: rules.minResponses,
    minIndex: rules.minIndex,
    minDistinctOrganizations: rules.minDistinctOrganizations ?? 0,
    ...measureSatisfaction(answered, partnerDomains(partner), rules),
    invitations: rows.map((row) => ({
      id: row.id,
      customerEmail: row.customerEmail,
      status: row.status,
      createdAt: row.createdAt.toISOString(),
      expiresAt: row.expiresAt.toISOString(),
      answeredAt: row.answeredAt?.toISOString() ?? null,
    })),
  };
}
