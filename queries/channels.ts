import type { ChannelOfferKind } from '../domain/channels';
import { type DatabaseReader, Prisma } from '../lib/database';
import { type KeysetPage, keysetQuery, type PageRequest } from './pagination';

/** An offer as partners see it: who offers, what it seeks, where and until when. */
export interface ChannelOfferView {
  id: string;
  partnerId: string;
  /** The offering partner's legal name. */
  partnerName: string;
  kind: string;
  description: string;
  competencies: string[];
  countries: string[];
  validUntil: string;
  status: string;
  closedReason: string | null;
  closedAt: string | null;
  createdAt: string;
}

/** One message of an offer's thread with one respondent. */
export interface ChannelOfferMessageView {
  id: string;
  offerId: string;
  /** The partner that answered the offer: the thread's other side. */
  respondentId: string;
  authorPartnerId: string;
  body: string;
  createdAt: string;
}

interface OfferRow {
  id: string;
  partnerId: string;
  partnerName: string;
  kind: string;
  description: string;
  competencies: string[];
  countries: string[];
  validUntil: Date;
  status: string;
  closedReason: string | null;
  closedAt: Date | null;
  createdAt: Date;
}

const toOfferView = (row: OfferRow): ChannelOfferView => ({
  ...row,
  validUntil: row.validUntil.toISOString(),
  closedAt: row.closedAt ? row.closedAt.toISOString() : null,
  createdAt: row.createdAt.toISOString(),
});

const OFFER_FIELDS = {
  id: true,
  partnerId: true,
  kind: true,
  description: true,
  competencies: true,
  countries: true,
  validUntil: true,
  status: true,
  closedReason: true,
  closedAt: true,
  createdAt: true,
} as const;

/** One offer with its partner's name, or null. */
export async function findChannelOffer(db: DatabaseReader, offerId: string): Promise<ChannelOfferView | null> {
  const offer = await db.channelOffer.findUnique({ where: { id: offerId }, select: OFFER_FIELDS });
  if (!offer) return null;
  const partner = await db.partner.findUniqueOrThrow({ where: { id: offer.partnerId }, select: { legalName: true } });
  return toOfferView({ ...offer, partnerName: partner.legalName });
}

/** A partner's own offers, open and closed, newest first. */
export async function listPartnerChannelOffers(
  db: DatabaseReader,
  partnerId: string,
  page: PageRequest,
): Promise<KeysetPage<ChannelOfferView>> {
  const keyset = keysetQuery(page, 'createdAt', 'id', 'desc');
  const [partner, rows] = await Promise.all([
    db.partner.findUniqueOrThrow({ where: { id: partnerId }, select: { legalName: true } }),
    db.channelOffer.findMany({
      where: { AND: [{ partnerId }, keyset.where] },
      select: OFFER_FIELDS,
      orderBy: keyset.orderBy,
      take: keyset.take,
    }),
  ]);
  return keyset.page(rows, (row) => toOfferView({ ...row, partnerName: partner.legalName }));
}

/** What a search of the offers asks: every filter kind given must match (AND); values within one kind are alternatives (OR). */
export interface ChannelOfferSearch {
  /** Words as people type them: quotes for phrases, `-` to exclude, `or`. */
  q?: string;
  kinds?: ChannelOfferKind[];
  competencies?: string[];
  countries?: string[];
}

/**
 * The offers that still take answers (open, before their end, their partner active) matching the
 * search, newest first: one query, the text through the description's generated search vector.
 */
export async function searchChannelOffers(
  db: DatabaseReader,
  search: ChannelOfferSearch,
  page: PageRequest,
  asOf: Date,
): Promise<KeysetPage<ChannelOfferView>> {
  const conditions = [Prisma.sql`o.status = 'open'`, Prisma.sql`o."validUntil" > ${asOf}`, Prisma.sql`p.status = 'active'`];
  if (search.q) conditions.push(Prisma.sql`o.search @@ websearch_to_tsquery('simple'::regconfig, ${search.q})`);
  if (search.kinds?.length) conditions.push(Prisma.sql`o.kind = ANY(${search.kinds}::text[])`);
  if (search.competencies?.length) conditions.push(Prisma.sql`o.competencies && ${search.competencies}::text[]`);
  if (search.countries?.length) conditions.push(Prisma.sql`o.countries && ${search.countries}::text[]`);
  if (page.after) conditions.push(Prisma.sql`(o."createdAt", o.id) < (${new Date(page.after.at)}, ${page.after.id}::uuid)`);
  const rows = await db.$queryRaw<OfferRow[]>`
    SELECT o.id::text AS id, o."partnerId"::text AS "partnerId", p."legalName" AS "partnerName", o.kind, o.description,
      o.competencies, o.countries, o."validUntil", o.status, o."closedReason", o."closedAt", o."createdAt"
    FROM "ChannelOffer" o JOIN "Partner" p ON p.id = o."partnerId"
    WHERE ${Prisma.join(conditions, ' AND ')}
    ORDER BY o."createdAt" DESC, o.id DESC
    LIMIT ${page.limit + 1}`;
  const shown = rows.slice(0, page.limit);
  const last = shown.at(-1);
  return {
    items: shown.map(toOfferView),
    next: rows.length > page.limit && last ? { at: last.createdAt.toISOString(), id: last.id } : null,
  };
}

/** The messages of an offer's threads, oldest first: every thread, or only the one with `respondentId`. */
export async function listChannelOfferMessages(
  db: DatabaseReader,
  offerId: string,
  respondentId: string | null,
  page: PageRequest,
): Promise<KeysetPage<ChannelOfferMessageView>> {
  const keyset = keysetQuery(page, 'createdAt', 'id', 'asc');
  const rows = await db.channelOfferMessage.findMany({
    where: { AND: [{ offerId, ...(respondentId ? { respondentId } : {}) }, keyset.where] },
    orderBy: keyset.orderBy,
    take: keyset.take,
  });
  return keyset.page(rows, toMessageView);
}

export const toMessageView = (row: {
  id: string;
  offerId: string;
  respondentId: string;
  authorPartnerId: string;
  body: string;
  createdAt: Date;
}): ChannelOfferMessageView => ({ ...row, createdAt: row.createdAt.toISOString() });
