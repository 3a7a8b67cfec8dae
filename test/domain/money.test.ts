import fc from 'fast-check';
import { annualFeeInvoice, paymentMismatch, settle, upgradeInvoice } from '../../domain/invoices';
import { formatMoney, fractionOf, type MinorUnits, minorUnits, sumMinor, taxAt } from '../../domain/money';
import { termDays } from '../../domain/terms';
import { readCatalogDocuments } from '../../prisma/seed';

const catalog = readCatalogDocuments()[0];
const level = (code: string) => catalog.levels.find((candidate) => candidate.code === code)!;
const amount = fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }).map(minorUnits);

describe('money is integer minor units', () => {
  it('refuses fractions of a minor unit, and the type refuses plain numbers', () => {
    expect(() => minorUnits(1.5)).toThrow(RangeError);
    // @ts-expect-error a plain number is not money; `npm test` type-checks this file
    const notMoney: MinorUnits = 1500;
    // @ts-expect-error arithmetic on money gives a plain number, not money
    const sum: MinorUnits = minorUnits(1) + minorUnits(2);
    expect([notMoney, sum]).toEqual([1500, 3]);
  });

  it('takes fractions as whole minor units, rounded half away from zero, never outside the amount', () => {
    expect(taxAt(minorUnits(150000), 2000)).toBe(30000);
    expect(taxAt(minorUnits(999), 2050)).toBe(205);
    expect(taxAt(minorUnits(-999), 2050)).toBe(-205);
    fc.assert(
      fc.property(amount, fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 0, max: 100_000 }), (value, denominator, n) => {
        const numerator = n % (denominator + 1);
        const part = fractionOf(value, numerator, denominator);
        const rest = fractionOf(value, denominator - numerator, denominator);
        expect(Number.isInteger(part)).toBe(true);
        expect(Math.abs(part)).toBeLessThanOrEqual(Math.abs(value));
        expect(Math.abs(part + rest - value)).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('formats for people', () => {
    expect(formatMoney({ amountMinor: minorUnits(150000), currency: 'USD' })).toBe('1,500.00 USD');
    expect(formatMoney({ amountMinor: minorUnits(-5), currency: 'EUR' })).toBe('-0.05 EUR');
  });
});

describe('invoices', () => {
  it('charges one fee per organization: additional offices in the country are listed at no charge', () => {
    const draft = annualFeeInvoice(level('certified'), 'GB', 2)!;
    expect(draft).toMatchObject({ currency: 'USD', subtotalMinor: 150000, taxMinor: 0, totalMinor: 150000 });
    expect(draft.lines.map((line) => line.amountMinor)).toEqual([150000, 0]);
    expect(annualFeeInvoice(level('registered'), 'GB', 0)).toBeNull();
  });

  it('prorates an upgrade by the days left in the term', () => {
    const gold = { ...level('gold'), fees: { default: { amountMinor: 250000, currency: 'USD', taxRateBps: 0 } } };
    expect(upgradeInvoice(level('certified'), gold, 'GB', { remainingDays: 365, termDays: 365 })!.totalMinor).toBe(100000);
    expect(upgradeInvoice(level('certified'), gold, 'GB', { remainingDays: 73, termDays: 365 })!.totalMinor).toBe(20000);
    expect(upgradeInvoice(level('certified'), gold, 'GB', { remainingDays: 0, termDays: 365 })).toBeNull();
    expect(upgradeInvoice(level('registered'), level('certified'), 'GB', { remainingDays: 365, termDays: 365 })!.totalMinor).toBe(150000);
    // Same fee, nothing owed: the default catalog's Certified to Gold.
    expect(upgradeInvoice(level('certified'), level('gold'), 'GB', { remainingDays: 200, termDays: 365 })).toBeNull();
    expect(termDays(new Date('2026-03-01T00:00:00Z'), 12, new Date('2026-03-01T12:00:00Z'))).toEqual({ termDays: 365, remainingDays: 365 });
  });

  it('settles applied payments less refunds, ignoring held money and other currencies', () => {
    const invoice = { totalMinor: minorUnits(1000), currency: 'USD' };
    const paid = (value: number, overrides = {}) => ({
      kind: 'payment' as const,
      amountMinor: minorUnits(value),
      currency: 'USD',
      status: 'applied' as const,
      ...overrides,
    });
    expect(settle(invoice, [])).toEqual({ paidMinor: 0, balanceMinor: 1000, state: 'unpaid' });
    expect(settle(invoice, [paid(400)]).state).toBe('partially_paid');
    expect(settle(invoice, [paid(400), paid(600)]).state).toBe('paid');
    expect(settle(invoice, [paid(1200)])).toEqual({ paidMinor: 1200, balanceMinor: -200, state: 'overpaid' });
    expect(settle(invoice, [paid(1000), paid(1000, { kind: 'refund' })]).state).toBe('unpaid');
    expect(settle(invoice, [paid(1000, { status: 'held' }), paid(1000, { currency: 'EUR' })]).state).toBe('unpaid');
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 10_000 })), (values) => {
        const result = settle(
          invoice,
          values.map((value) => paid(value)),
        );
        expect(result.paidMinor).toBe(sumMinor(...values.map(minorUnits)));
        expect(result.paidMinor + result.balanceMinor).toBe(1000);
      }),
    );
  });

  it('holds a payment whose currency or amount is not the balance due', () => {
    const due = { balanceMinor: minorUnits(1000), currency: 'USD' };
    expect(paymentMismatch(due, { amountMinor: minorUnits(1000), currency: 'USD' })).toBeNull();
    expect(paymentMismatch(due, { amountMinor: minorUnits(1000), currency: 'EUR' })).toBe('currency');
    expect(paymentMismatch(due, { amountMinor: minorUnits(999), currency: 'USD' })).toBe('amount');
  });
});
