import { beforeProration, type BenefitPrice } from './benefits';
import type { CatalogBenefit, CatalogLevel, LevelFee } from './catalog';
import { fractionOf, type MinorUnits, minorUnits, subtractMinor, sumMinor, taxAt, ZERO } from './money';
import { daysOfTerm, daysUntil, type TermSpan } from './terms';

/** The fee a level charges in a country, falling back to the catalog's default entry. */
export function levelFeeFor(level: CatalogLevel, country: string): LevelFee | undefined {
  return level.fees[country] ?? level.fees.default;
}

export const INVOICE_PURPOSES = ['enrollment', 'upgrade', 'renewal', 'benefit'] as const;
export type InvoicePurpose = (typeof INVOICE_PURPOSES)[number];

export interface InvoiceLine {
  description: string;
  amountMinor: MinorUnits;
}

export interface InvoiceDraft {
  currency: string;
  lines: InvoiceLine[];
  subtotalMinor: MinorUnits;
  taxRateBps: number;
  taxMinor: MinorUnits;
  totalMinor: MinorUnits;
}

function draft(currency: string, taxRateBps: number, lines: InvoiceLine[]): InvoiceDraft {
  const subtotalMinor = sumMinor(...lines.map((line) => line.amountMinor));
  const taxMinor = taxAt(subtotalMinor, taxRateBps);
  return { currency, lines, subtotalMinor, taxRateBps, taxMinor, totalMinor: sumMinor(subtotalMinor, taxMinor) };
}

/**
 * The annual fee of a level for an organization: one fee, charged to the primary office's
 * country; additional offices in that country are listed at no charge. Null when the level
 * has no fee there.
 */
export function annualFeeInvoice(level: CatalogLevel, country: string, additionalOffices: number): InvoiceDraft | null {
  const fee = levelFeeFor(level, country);
  if (!fee || fee.amountMinor === 0) return null;
  const lines: InvoiceLine[] = [{ description: `${level.name} annual fee (${country})`, amountMinor: minorUnits(fee.amountMinor) }];
  if (additionalOffices > 0) {
    lines.push({ description: `${additionalOffices} additional office(s) in ${country}: included`, amountMinor: ZERO });
  }
  return draft(fee.currency, fee.taxRateBps, lines);
}

/**
 * Whether a partner may buy a benefit: only optional benefits with a price are for sale, and
 * only to an active partner at a level the benefit serves. The API refuses early with it; the
 * purchase workflow's quote asks again under the catalog in force.
 */
export function benefitOffered(
  benefit: Pick<CatalogBenefit, 'optional' | 'price' | 'levels'>,
  partner: { status: string; level: string },
): boolean {
  return (
    benefit.optional &&
    benefit.price !== undefined &&
    partner.status === 'active' &&
    benefit.levels.some((level) => level === partner.level)
  );
}

/** An optional benefit bought for a year; null when the benefit is included or not for sale. */
export function benefitInvoice(benefit: CatalogBenefit): InvoiceDraft | null {
  if (!benefit.optional || !benefit.price) return null;
  return draft(benefit.price.currency, benefit.price.taxRateBps, [
    { description: `${benefit.name} (12 months)`, amountMinor: minorUnits(benefit.price.amountMinor) },
  ]);
}

/** Basis points as a percentage for people: 1000 is `10%`, 1250 is `12.5%`. */
function percent(bps: number): string {
  const digits = String(bps).padStart(3, '0');
  const fraction = digits.slice(-2).replace(/0+$/, '');
  return `${digits.slice(0, -2)}${fraction ? `.${fraction}` : ''}%`;
}

/**
 * The invoice for an optional benefit bought at its price for the partner (`benefitPrice`): the
 * list price, then each saving as a line of its own (the level's member saving, the competency
 * saving) and the share of the term already gone when prorated, so the lines add up to the price.
 */
export function benefitPurchaseInvoice(benefit: Pick<CatalogBenefit, 'name'>, price: BenefitPrice, levelName: string): InvoiceDraft {
  const list = minorUnits(price.listMinor);
  const member = minorUnits(price.memberMinor);
  const discounted = minorUnits(beforeProration(price));
  const amount = minorUnits(price.amountMinor);
  const lines: InvoiceLine[] = [{ description: `${benefit.name}: list price for a membership term`, amountMinor: list }];
  if (member !== list) lines.push({ description: `Member saving, ${levelName}`, amountMinor: subtractMinor(member, list) });
  if (price.discountBps > 0) {
    lines.push({
      description: `Competency saving ${percent(price.discountBps)} (${price.discountCompetency})`,
      amountMinor: subtractMinor(discounted, member),
    });
  }
  if (price.proration) {
    const { daysLeft, termDays } = price.proration;
    lines.push({
      description: `Prorated: ${daysLeft} of ${termDays} days left in the term`,
      amountMinor: subtractMinor(amount, discounted),
    });
  }
  return draft(price.currency, price.taxRateBps, lines);
}

/**
 * A mid-term upgrade: the difference between the two annual fees for the days left in the term,
 * rounded to the minor unit. Null when nothing is owed (no fee, or the new level costs no more).
 */
export function upgradeInvoice(
  from: CatalogLevel,
  to: CatalogLevel,
  country: string,
  term: { remainingDays: number; termDays: number },
): InvoiceDraft | null {
  const target = levelFeeFor(to, country);
  if (!target) return null;
  const current = levelFeeFor(from, country);
  const paidBefore = current && current.currency === target.currency ? minorUnits(current.amountMinor) : ZERO;
  const difference = subtractMinor(minorUnits(target.amountMinor), paidBefore);
  const remainingDays = Math.max(0, Math.min(term.remainingDays, term.termDays));
  const prorated = fractionOf(difference, remainingDays, term.termDays);
  if (prorated <= 0) return null;
  return draft(target.currency, target.taxRateBps, [
    {
      description: `Upgrade ${from.name} to ${to.name}: fee difference for ${remainingDays} of ${term.termDays} days`,
      amountMinor: prorated,
    },
  ]);
}

export interface PaymentRecord {
  kind: 'payment' | 'refund';
  amountMinor: MinorUnits;
  currency: string;
  /** Held payments wait for an administrator and count for nothing meanwhile. */
  status: 'applied' | 'held' | 'refunded';
}

export type SettlementState = 'unpaid' | 'partially_paid' | 'paid' | 'overpaid';

/** What the applied payments and refunds add up to against an invoice. */
export function settle(
  invoice: { totalMinor: MinorUnits; currency: string },
  payments: readonly PaymentRecord[],
): {
  paidMinor: MinorUnits;
  balanceMinor: MinorUnits;
  state: SettlementState;
} {
  const counted = payments.filter((payment) => payment.currency === invoice.currency && payment.status === 'applied');
  const paidMinor = subtractMinor(
    sumMinor(...counted.filter((payment) => payment.kind === 'payment').map((payment) => payment.amountMinor)),
    sumMinor(...counted.filter((payment) => payment.kind === 'refund').map((payment) => payment.amountMinor)),
  );
  return { paidMinor, ...settlementOf(invoice.totalMinor, paidMinor) };
}

/** The balance and state of an invoice once `paidMinor` of it is paid (net of refunds). */
export function settlementOf(totalMinor: MinorUnits, paidMinor: MinorUnits): { balanceMinor: MinorUnits; state: SettlementState } {
  const balanceMinor = subtractMinor(totalMinor, paidMinor);
  const state: SettlementState = paidMinor <= 0 ? 'unpaid' : balanceMinor > 0 ? 'partially_paid' : balanceMinor === 0 ? 'paid' : 'overpaid';
  return { balanceMinor, state };
}

/**
 * Why a payment cannot simply be applied: another currency, or an amount that is not the
 * balance due. Such payments are held for an administrator, never silently accepted.
 */
export function paymentMismatch(
  due: { balanceMinor: MinorUnits; currency: string },
  payment: { amountMinor: MinorUnits; currency: string },
): 'currency' | 'amount' | null {
  if (payment.currency !== due.currency) return 'currency';
  if (payment.amountMinor !== due.balanceMinor) return 'amount';
  return null;
}

/**
 * What a consolidation returns of one paid membership fee: its share for the days left in the
 * term, over the days it covered (the whole term for an annual fee, the rest of it from the
 * issue date for an upgrade), and never more than the payment it came with.
 */
export function unusedFeeShare(fee: { paidMinor: number; issuedAt: Date }, paymentMinor: number, term: TermSpan, asOf: Date): MinorUnits {
  const { remainingDays } = daysOfTerm(term, asOf);
  const coveredDays = daysUntil(new Date(Math.max(term.start.getTime(), fee.issuedAt.getTime())), term.end);
  if (remainingDays === 0 || coveredDays === 0) return ZERO;
  const share = fractionOf(minorUnits(fee.paidMinor), Math.min(remainingDays, coveredDays), coveredDays);
  return minorUnits(Math.min(share, paymentMinor));
}
