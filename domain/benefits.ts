import type { BenefitKind, CatalogBenefit, LevelCode } from './catalog';
import { fractionOf, minorUnits } from './money';
import { daysOfTerm, type TermSpan } from './terms';

/**
 * Benefits: what a membership term gives a partner, from its level, its competencies and its
 * designations, and what an optional benefit costs it. Pure functions, shared by the API and the
 * activities.
 */

export type EntitlementSource = 'level' | 'competency' | 'designation' | 'purchase';

/** What a partner holds that benefits follow. */
export interface BenefitHolder {
  level: LevelCode;
  /** Granted competencies still valid. */
  competencies: readonly string[];
  /** Granted designations still valid. */
  designations: readonly string[];
}

/** One entitlement a term grants: a benefit from one source. */
export interface EntitlementGrant {
  benefitCode: string;
  stage: string;
  kind: BenefitKind;
  source: Exclude<EntitlementSource, 'purchase'>;
  /** The competency or designation it comes from; empty for the level. */
  sourceRef: string;
  /** Units for the term; null when the benefit is not counted. */
  quantity: number | null;
  online: boolean;
}

const COUNTED_KINDS: readonly BenefitKind[] = ['counted', 'license'];

/** Whether a benefit of this kind is used unit by unit: a support incident opened, a license key issued. */
export const isConsumable = (kind: string): kind is 'counted' | 'license' => (COUNTED_KINDS as readonly string[]).includes(kind);

/** Units of a counted or license benefit at a level; null for a benefit that is not counted. */
export function unitsFor(benefit: CatalogBenefit, level: LevelCode): number | null {
  if (!isConsumable(benefit.kind ?? 'access')) return null;
  return benefit.quantityByLevel?.[level] ?? benefit.quantity ?? 0;
}

/**
 * Every included benefit a holder is entitled to: the level's own, one per competency held that
 * brings it, and the designations'. Code order, so the same holder always gives the same list.
 */
export function entitlementsFor(benefits: readonly CatalogBenefit[], holder: BenefitHolder): EntitlementGrant[] {
  const grants: EntitlementGrant[] = [];
  const grant = (benefit: CatalogBenefit, source: EntitlementGrant['source'], sourceRef: string) =>
    grants.push({
      benefitCode: benefit.code,
      stage: benefit.stage,
      kind: benefit.kind ?? 'access',
      source,
      sourceRef,
      quantity: unitsFor(benefit, holder.level),
      online: benefit.online ?? false,
    });
  for (const benefit of [...benefits].sort((a, b) => a.code.localeCompare(b.code))) {
    if (benefit.optional) continue;
    if (benefit.levels.includes(holder.level)) grant(benefit, 'level', '');
    for (const code of [...holder.competencies].sort()) if (benefit.competencies?.includes(code)) grant(benefit, 'competency', code);
    for (const code of [...holder.designations].sort()) if (benefit.designations?.includes(code)) grant(benefit, 'designation', code);
  }
  return grants;
}

/** The key that makes a grant unique within a term. */
export const entitlementKey = (grant: { benefitCode: string; source: EntitlementSource; sourceRef: string }): string =>
  `${grant.benefitCode}|${grant.source}|${grant.sourceRef}`;

export type EntitlementState = 'upcoming' | 'active' | 'grace' | 'ended';

/** An entitlement as it stands at a moment. */
export interface EntitlementWindow {
  validFrom: Date;
  validUntil: Date;
  graceUntil: Date | null;
  endedAt: Date | null;
}

/**
 * Active within its term; online access continues in grace after the term ends (until the grace
 * ends or the membership does); anything ended early (withdrawal, lapse, revocation) is ended.
 */
export function entitlementState(window: EntitlementWindow, asOf: Date): EntitlementState {
  const at = asOf.getTime();
  if (window.endedAt && window.endedAt.getTime() <= at) return 'ended';
  if (at < window.validFrom.getTime()) return 'upcoming';
  if (at < window.validUntil.getTime()) return 'active';
  if (window.graceUntil && at < window.graceUntil.getTime()) return 'grace';
  return 'ended';
}

/** Whether an entitlement in that state can be used. */
export const isUsable = (state: EntitlementState): boolean => state === 'active' || state === 'grace';

/** An entitlement as a use sees it: where it comes from, its units and its window. */
export interface ConsumableEntitlement extends EntitlementWindow {
  source: string;
  sourceRef: string;
  quantity: number | null;
  used: number;
}

/** Whose units go first when one benefit comes from several sources: the level's, then each competency's. */
const SOURCE_ORDER: readonly string[] = ['level', 'competency', 'designation', 'purchase'] satisfies EntitlementSource[];

/**
 * The entitlements a use may take a unit from at `asOf`, in the order it tries them: usable, with
 * units left, the level's first, then the competencies' (by code), the designations', the
 * purchases'. Empty when every unit is used or nothing is usable.
 */
export function consumptionOrder<Row extends ConsumableEntitlement>(rows: readonly Row[], asOf: Date): Row[] {
  return rows
    .filter((row) => row.quantity !== null && row.used < row.quantity && isUsable(entitlementState(row, asOf)))
    .sort((a, b) => SOURCE_ORDER.indexOf(a.source) - SOURCE_ORDER.indexOf(b.source) || a.sourceRef.localeCompare(b.sourceRef));
}

/** Why a use takes no unit: every usable unit is used, or none of the entitlements is usable now. */
export type UseRefusal = 'exhausted' | 'not_usable';

/** Why `consumptionOrder` came out empty. */
export const useRefusal = (rows: readonly ConsumableEntitlement[], asOf: Date): UseRefusal =>
  rows.some((row) => isUsable(entitlementState(row, asOf))) ? 'exhausted' : 'not_usable';

/** What an optional benefit costs a partner: member price, competency savings, proration. */
export interface BenefitPrice {
  currency: string;
  taxRateBps: number;
  listMinor: number;
  /** The level's member price, before competency savings. */
  memberMinor: number;
  /** The competency savings applied, and for which competency. */
  discountBps: number;
  discountCompetency: string | null;
  /** The share of the term left, when prorated: days left over the term's days. */
  proration: { daysLeft: number; termDays: number } | null;
  amountMinor: number;
}

/** The days of a term left at `asOf` (a day begun counts) when the catalog prorates purchases daily; otherwise null. */
export function termProration(
  term: TermSpan,
  asOf: Date,
  rule: 'daily' | 'none' | undefined,
): { daysLeft: number; termDays: number } | null {
  if (rule !== 'daily') return null;
  const { termDays, remainingDays } = daysOfTerm(term, asOf);
  return { daysLeft: remainingDays, termDays };
}

/**
 * An optional benefit's price for a holder: the level's member price (the list price when the
 * catalog names none), less the largest competency saving that applies, times the share of the
 * term left when the catalog prorates. Whole minor units, rounded half away from zero.
 */
export function benefitPrice(
  benefit: CatalogBenefit,
  holder: Pick<BenefitHolder, 'level' | 'competencies'>,
  proration: { daysLeft: number; termDays: number } | null,
): BenefitPrice | null {
  if (!benefit.optional || !benefit.price) return null;
  const { currency, taxRateBps, amountMinor: listMinor } = benefit.price;
  const memberMinor = benefit.memberPrices?.[holder.level] ?? listMinor;
  let discountBps = 0;
  let discountCompetency: string | null = null;
  for (const discount of benefit.competencyDiscounts ?? []) {
    const held = discount.competencies.filter((code) => holder.competencies.includes(code)).sort()[0];
    if (held && discount.discountBps > discountBps) {
      discountBps = discount.discountBps;
      discountCompetency = held;
    }
  }
  const discounted = fractionOf(minorUnits(memberMinor), 10000 - discountBps, 10000);
  const prorated =
    proration && proration.daysLeft < proration.termDays
      ? { daysLeft: Math.max(0, proration.daysLeft), termDays: proration.termDays }
      : null;
  const amountMinor = prorated ? fractionOf(discounted, prorated.daysLeft, prorated.termDays) : discounted;
  return { currency, taxRateBps, listMinor, memberMinor, discountBps, discountCompetency, proration: prorated, amountMinor };
}

/** The member price after competency savings, before proration: what a whole term of the benefit costs the holder. */
export const beforeProration = (price: Pick<BenefitPrice, 'memberMinor' | 'discountBps'>): number =>
  fractionOf(minorUnits(price.memberMinor), 10000 - price.discountBps, 10000);

/** A subscription the partner holds or is buying: a purchase entitlement of the term in force, or a purchase not yet paid. */
export interface HeldSubscription {
  entitlements: readonly EntitlementWindow[];
  /** Purchases of the benefit still being invoiced or waiting for their payment. */
  purchasesInFlight: number;
}

/**
 * Whether buying a benefit again would duplicate a subscription: one of the term in force that
 * has not ended (or has not begun), or a purchase of it still in flight. The API refuses early
 * with it (409 `subscription_active`); the purchase's reservation asks again under a lock.
 */
export function duplicatesSubscription(held: HeldSubscription, asOf: Date): boolean {
  if (held.purchasesInFlight > 0) return true;
  return held.entitlements.some((window) => {
    const state = entitlementState(window, asOf);
    return state === 'active' || state === 'upcoming';
  });
}
