import {
  benefitPrice,
  type BenefitPrice,
  duplicatesSubscription,
  type EntitlementState,
  entitlementState,
  type HeldSubscription,
  termProration,
} from '../domain/benefits';
import { benefitOffered, benefitPurchaseInvoice, type InvoiceDraft } from '../domain/invoices';
import type { CatalogBenefit, LevelCode } from '../domain/catalog';
import { termEnd } from '../domain/terms';
import type { DatabaseReader } from '../lib/database';
import { type CatalogInForce, findCatalogInForce } from './catalog';
import { type KeysetPage, keysetQuery, type PageRequest } from './pagination';

export interface LicenseKeyView {
  id: string;
  /** The key's last characters; the key itself was shown once, when it was issued. */
  lastChars: string;
  /** What the partner said it is for, if anything. */
  note: string | null;
  issuedAt: string;
  revokedAt: string | null;
}

export interface EntitlementView {
  id: string;
  benefitCode: string;
  name: string;
  stage: string;
  kind: string;
  source: string;
  /** The competency or designation it comes from, or the purchase id; null for the level. */
  sourceRef: string | null;
  quantity: number | null;
  used: number;
  remaining: number | null;
  state: EntitlementState;
  validFrom: string;
  validUntil: string;
  /** Online access continues until then once the term has ended unpaid, unless the membership ends first. */
  graceUntil: string | null;
  endedAt: string | null;
  endReason: string | null;
  licenseKeys?: LicenseKeyView[];
}

export interface BenefitsView {
  partnerId: string;
  /** The current (or last) membership term; null before the partner's membership started. */
  termNumber: number | null;
  termStart: string | null;
  termEnd: string | null;
  membershipStatus: string | null;
  asOf: string;
  entitlements: EntitlementView[];
}

const iso = (at: Date | null) => (at ? at.toISOString() : null);

/**
 * The membership term in force at `asOf`. A renewal paid early puts the next term on the
 * membership at once, to start at the current end; until then the term in force is the one before.
 */
function termInForce(membership: { termNumber: number; termStart: Date }, asOf: Date): { termNumber: number; renewedAhead: boolean } {
  const renewedAhead = asOf < membership.termStart && membership.termNumber > 1;
  return { termNumber: renewedAhead ? membership.termNumber - 1 : membership.termNumber, renewedAhead };
}

const toLicenseKeyView = (key: {
  id: string;
  lastChars: string;
  note: string | null;
  issuedAt: Date;
  revokedAt: Date | null;
}): LicenseKeyView => ({
  id: key.id,
  lastChars: key.lastChars,
  note: key.note,
  issuedAt: key.issuedAt.toISOString(),
  revokedAt: iso(key.revokedAt),
});

/**
 * Every entitlement of the partner's membership term in force at `asOf`, with what is used and
 * left and the license keys issued from it (masked). Four queries whatever the number of
 * entitlements.
 */
export async function benefitsOf(db: DatabaseReader, partnerId: string, asOf: Date, stage?: string): Promise<BenefitsView> {
  const membership = await db.membership.findUnique({
    where: { partnerId },
    select: { termNumber: true, termStart: true, termEnd: true, status: true },
  });
  if (!membership) {
    return {
      partnerId,
      termNumber: null,
      termStart: null,
      termEnd: null,
      membershipStatus: null,
      asOf: asOf.toISOString(),
      entitlements: [],
    };
  }
  const { termNumber, renewedAhead } = termInForce(membership, asOf);
  const rows = await db.entitlement.findMany({
    where: { partnerId, termNumber },
    orderBy: [{ stage: 'asc' }, { benefitCode: 'asc' }, { source: 'asc' }, { sourceRef: 'asc' }],
  });
  const term = renewedAhead
    ? {
        termStart: rows.length ? new Date(Math.min(...rows.map((row) => row.validFrom.getTime()))) : null,
        termEnd: membership.termStart,
      }
    : membership;
  const view: BenefitsView = {
    partnerId,
    termNumber,
    termStart: iso(term.termStart),
    termEnd: iso(term.termEnd),
    membershipStatus: membership.status,
    asOf: asOf.toISOString(),
    entitlements: [],
  };
  const shown = stage ? rows.filter((row) => row.stage === stage) : rows;
  if (!shown.length) return view;
  const [benefits, keys] = await Promise.all([
    db.benefit.findMany({
      where: { OR: [...new Set(shown.map((row) => row.catalogVersionId))].map((catalogVersionId) => ({ catalogVersionId })) },
      select: { catalogVersionId: true, code: true, name: true },
    }),
    db.licenseKey.findMany({
      where: { entitlementId: { in: shown.filter((row) => row.kind === 'license').map((row) => row.id) } },
      orderBy: [{ issuedAt: 'asc' }, { id: 'asc' }],
    }),
  ]);
  const names = new Map(benefits.map((benefit) => [`${benefit.catalogVersionId}|${benefit.code}`, benefit.name]));
  view.entitlements = shown.map((row): EntitlementView => ({
    id: row.id,
    benefitCode: row.benefitCode,
    name: names.get(`${row.catalogVersionId}|${row.benefitCode}`) ?? row.benefitCode,
    stage: row.stage,
    kind: row.kind,
    source: row.source,
    sourceRef: row.sourceRef || null,
    quantity: row.quantity,
    used: row.used,
    remaining: row.quantity === null ? null : Math.max(0, row.quantity - row.used),
    state: entitlementState(row, asOf),
    validFrom: row.validFrom.toISOString(),
    validUntil: row.validUntil.toISOString(),
    graceUntil: iso(row.graceUntil),
    endedAt: iso(row.endedAt),
    endReason: row.endReason,
    ...(row.kind === 'license'
      ? {
          licenseKeys: keys.filter((key) => key.entitlementId === row.id).map(toLicenseKeyView),
        }
      : {}),
  }));
  return view;
}

/** An entitlement as a use of its benefit reads it: kind, source, units and window. */
export interface EntitlementToUse {
  id: string;
  kind: string;
  source: string;
  sourceRef: string;
  quantity: number | null;
  used: number;
  validFrom: Date;
  validUntil: Date;
  graceUntil: Date | null;
  endedAt: Date | null;
}

/** The partner's entitlements to one benefit in the term in force at `asOf`: what a use of it draws on. */
export async function entitlementsToUse(
  db: DatabaseReader,
  partnerId: string,
  benefitCode: string,
  asOf: Date,
): Promise<EntitlementToUse[]> {
  const membership = await db.membership.findUnique({ where: { partnerId }, select: { termNumber: true, termStart: true } });
  if (!membership) return [];
  return db.entitlement.findMany({
    where: { partnerId, benefitCode, termNumber: termInForce(membership, asOf).termNumber },
    select: {
      id: true,
      kind: true,
      source: true,
      sourceRef: true,
      quantity: true,
      used: true,
      validFrom: true,
      validUntil: true,
      graceUntil: true,
      endedAt: true,
    },
    orderBy: { id: 'asc' },
  });
}

/** An optional benefit the partner may buy, at its price for the partner now. */
export interface PurchasableBenefitView {
  benefitCode: string;
  name: string;
  stage: string;
  kind: string;
  price: BenefitPrice;
}

/** The membership term in force at `asOf`: its number and span (what a purchase is for and prorated over). */
export interface TermInForce {
  termNumber: number;
  start: Date;
  end: Date;
}

/**
 * The term in force at `asOf`, or null before the membership started. A renewal paid early puts
 * the next term on the membership; the one in force then ends where that one starts, and began
 * when its level's entitlements did (or a term's length before its end, when it has none).
 */
export async function termInForceOf(db: DatabaseReader, partnerId: string, asOf: Date): Promise<TermInForce | null> {
  const membership = await db.membership.findUnique({ where: { partnerId }, select: { termNumber: true, termStart: true, termEnd: true } });
  if (!membership) return null;
  const { termNumber, renewedAhead } = termInForce(membership, asOf);
  if (!renewedAhead) return { termNumber, start: membership.termStart, end: membership.termEnd };
  const first = await db.entitlement.aggregate({ where: { partnerId, termNumber }, _min: { validFrom: true } });
  const length = membership.termEnd.getTime() - membership.termStart.getTime();
  return { termNumber, start: first._min.validFrom ?? new Date(membership.termStart.getTime() - length), end: membership.termStart };
}

/** Purchases still being invoiced or waiting for their payment. */
export const PURCHASES_IN_FLIGHT = ['invoicing'];

/** The partner's subscription to a benefit in the term in force, and its purchases of it in flight. */
export async function heldSubscription(
  db: DatabaseReader,
  partnerId: string,
  benefitCode: string,
  term: TermInForce | null,
): Promise<HeldSubscription> {
  const [entitlements, purchasesInFlight] = await Promise.all([
    term
      ? db.entitlement.findMany({
          where: { partnerId, benefitCode, source: 'purchase', termNumber: term.termNumber },
          select: { validFrom: true, validUntil: true, graceUntil: true, endedAt: true },
        })
      : [],
    db.benefitPurchase.count({ where: { partnerId, benefitCode, status: { in: PURCHASES_IN_FLIGHT } } }),
  ]);
  return { entitlements, purchasesInFlight };
}

/** What buying a benefit would cost the partner now, or why it cannot buy it. */
export type BenefitQuote =
  | {
      outcome: 'quoted';
      catalog: CatalogInForce;
      benefit: CatalogBenefit;
      term: TermInForce;
      price: BenefitPrice;
      draft: InvoiceDraft;
    }
  | { outcome: 'not_offered'; benefit: CatalogBenefit | null; partner: { status: string; level: string } | null }
  | { outcome: 'subscription_active'; benefit: CatalogBenefit };

/**
 * The price of an optional benefit for the partner under the catalog in force at `asOf` (its
 * level's member price, the largest saving of its competencies valid then, prorated for the days
 * left in the term in force when the catalog says `daily`) and the invoice that states it; or the
 * refusal: not for sale to it (not optional, not its level, not active, no term), or it already
 * holds or is buying a subscription to it this term. The API asks it for an early answer, the
 * purchase's reservation again under a lock.
 */
export async function quoteBenefitPurchase(db: DatabaseReader, partnerId: string, benefitCode: string, asOf: Date): Promise<BenefitQuote> {
  const [catalog, partner, membershipTerm, competencies] = await Promise.all([
    findCatalogInForce(db, asOf),
    db.partner.findUnique({ where: { id: partnerId }, select: { level: true, status: true, activatedAt: true } }),
    termInForceOf(db, partnerId, asOf),
    db.partnerCompetency.findMany({ where: { partnerId, status: 'granted', validUntil: { gt: asOf } }, select: { code: true } }),
  ]);
  const benefit = catalog?.benefits.find((candidate) => candidate.code === benefitCode) ?? null;
  // A partner whose membership is not on record yet (just activated) is in its first term, from its activation.
  const term =
    membershipTerm ??
    (partner?.activatedAt && catalog
      ? { termNumber: 1, start: partner.activatedAt, end: termEnd(partner.activatedAt, catalog.rules.termMonths) }
      : null);
  if (!catalog || !partner || !benefit || !term || !benefitOffered(benefit, partner)) return { outcome: 'not_offered', benefit, partner };
  const holder = { level: partner.level as LevelCode, competencies: competencies.map((row) => row.code) };
  const proration = termProration(term, asOf, catalog.rules.benefits?.purchaseProration);
  const price = benefitPrice(benefit, holder, proration);
  if (!price) return { outcome: 'not_offered', benefit, partner };
  if (duplicatesSubscription(await heldSubscription(db, partnerId, benefitCode, term), asOf)) {
    return { outcome: 'subscription_active', benefit };
  }
  const levelName = catalog.levels.find((level) => level.code === partner.level)?.name ?? partner.level;
  return { outcome: 'quoted', catalog, benefit, term, price, draft: benefitPurchaseInvoice(benefit, price, levelName) };
}

/**
 * What the partner may buy under the catalog in force at `asOf`: the optional benefits its level
 * and status may buy, each at its member price less competency savings, prorated for the rest of
 * the term when the catalog says so. Code order.
 */
export async function purchasableBenefits(db: DatabaseReader, partnerId: string, asOf: Date): Promise<PurchasableBenefitView[]> {
  const [catalog, partner, term, competencies] = await Promise.all([
    findCatalogInForce(db, asOf),
    db.partner.findUnique({ where: { id: partnerId }, select: { level: true, status: true } }),
    termInForceOf(db, partnerId, asOf),
    db.partnerCompetency.findMany({ where: { partnerId, status: 'granted', validUntil: { gt: asOf } }, select: { code: true } }),
  ]);
  if (!catalog || !partner) return [];
  const holder = { level: partner.level as LevelCode, competencies: competencies.map((row) => row.code) };
  const proration = term ? termProration(term, asOf, catalog.rules.benefits?.purchaseProration) : null;
  return catalog.benefits.flatMap((benefit) => {
    const price = benefitOffered(benefit, partner) ? benefitPrice(benefit, holder, proration) : null;
    return price
      ? [{ benefitCode: benefit.code, name: benefit.name, stage: benefit.stage, kind: benefit.kind ?? 'subscription', price }]
      : [];
  });
}

export type SupportIncidentStatus = 'open' | 'in_progress' | 'resolved';
export const SUPPORT_INCIDENT_STATUSES: readonly SupportIncidentStatus[] = ['open', 'in_progress', 'resolved'];

export interface SupportIncidentView {
  id: string;
  partnerId: string;
  benefitCode: string;
  /** The entitlement whose unit it used. */
  entitlementId: string;
  subject: string;
  description: string;
  product: string;
  status: SupportIncidentStatus;
  /** The key that opened it: the partner's, or staff acting for it. */
  openedBy: string;
  resolution: string | null;
  createdAt: string;
  updatedAt: string;
  startedAt: string | null;
  resolvedAt: string | null;
}

type SupportIncidentRow = Omit<SupportIncidentView, 'status' | 'createdAt' | 'updatedAt' | 'startedAt' | 'resolvedAt'> & {
  status: string;
  workflowId: string;
  createdAt: Date;
  updatedAt: Date;
  startedAt: Date | null;
  resolvedAt: Date | null;
};

export const toSupportIncidentView = ({ workflowId: _workflow, ...row }: SupportIncidentRow): SupportIncidentView => ({
  ...row,
  status: row.status as SupportIncidentStatus,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
  startedAt: iso(row.startedAt),
  resolvedAt: iso(row.resolvedAt),
});

/** A support incident with the workflow that moves it. */
export async function findSupportIncident(db: DatabaseReader, id: string): Promise<(SupportIncidentView & { workflowId: string }) | null> {
  const row = await db.supportIncident.findUnique({ where: { id } });
  return row && { ...toSupportIncidentView(row), workflowId: row.workflowId };
}

/** A page of one partner's support incidents, newest first. */
export async function listPartnerSupportIncidents(
  db: DatabaseReader,
  partnerId: string,
  page: PageRequest,
): Promise<KeysetPage<SupportIncidentView>> {
  const keyset = keysetQuery(page, 'createdAt', 'id', 'desc');
  const rows = await db.supportIncident.findMany({
    where: { AND: [{ partnerId }, keyset.where] },
    orderBy: keyset.orderBy,
    take: keyset.take,
  });
  return keyset.page(rows, toSupportIncidentView);
}

/** A page of every partner's support incidents, oldest first: the staff's queue, in the order they came. */
export async function listSupportIncidents(
  db: DatabaseReader,
  filter: { status?: SupportIncidentStatus },
  page: PageRequest,
): Promise<KeysetPage<SupportIncidentView>> {
  const keyset = keysetQuery(page, 'createdAt', 'id', 'asc');
  const rows = await db.supportIncident.findMany({
    where: { AND: [filter.status ? { status: filter.status } : {}, keyset.where] },
    orderBy: keyset.orderBy,
    take: keyset.take,
  });
  return keyset.page(rows, toSupportIncidentView);
}

/** A license key as issued from a benefit, masked. */
export interface IssuedLicenseKeyView extends LicenseKeyView {
  partnerId: string;
  benefitCode: string;
  entitlementId: string;
}

type LicenseKeyRow = Parameters<typeof toLicenseKeyView>[0] & { partnerId: string; benefitCode: string; entitlementId: string };

export const toIssuedLicenseKeyView = (row: LicenseKeyRow): IssuedLicenseKeyView => ({
  ...toLicenseKeyView(row),
  partnerId: row.partnerId,
  benefitCode: row.benefitCode,
  entitlementId: row.entitlementId,
});

export async function findLicenseKey(db: DatabaseReader, id: string): Promise<IssuedLicenseKeyView | null> {
  const row = await db.licenseKey.findUnique({ where: { id } });
  return row && toIssuedLicenseKeyView(row);
}
