/**
 * Money is integer minor units with an ISO 4217 currency, never a float. `MinorUnits` is a
 * branded integer: plain arithmetic on it yields a `number` the compiler will not accept back as
 * money, so every sum, tax and proration goes through these functions, which compute in BigInt.
 */
declare const minorUnitsBrand: unique symbol;
export type MinorUnits = number & { readonly [minorUnitsBrand]: true };

export interface Amount {
  amountMinor: MinorUnits;
  currency: string;
}

export function minorUnits(value: number): MinorUnits {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${value} is not a whole number of minor units`);
  return value as MinorUnits;
}

export const ZERO = minorUnits(0);

const fromBig = (value: bigint): MinorUnits => minorUnits(Number(value));

export function sumMinor(...values: MinorUnits[]): MinorUnits {
  return fromBig(values.reduce((sum, value) => sum + BigInt(value), 0n));
}

export function subtractMinor(from: MinorUnits, value: MinorUnits): MinorUnits {
  return fromBig(BigInt(from) - BigInt(value));
}

export function negateMinor(value: MinorUnits): MinorUnits {
  return fromBig(-BigInt(value));
}

/** `numerator / denominator` of an amount, rounded half away from zero. */
export function fractionOf(amount: MinorUnits, numerator: number, denominator: number): MinorUnits {
  if (!Number.isSafeInteger(numerator) || !Number.isSafeInteger(denominator) || denominator <= 0) {
    throw new RangeError('fractions of money take whole numerators and a positive whole denominator');
  }
  const product = BigInt(amount) * BigInt(numerator);
  const magnitude = product < 0n ? -product : product;
  const rounded = (2n * magnitude + BigInt(denominator)) / (2n * BigInt(denominator));
  return fromBig(product < 0n ? -rounded : rounded);
}

/** Tax at a rate in basis points (2000 = 20%). */
export function taxAt(amount: MinorUnits, rateBps: number): MinorUnits {
  return fractionOf(amount, rateBps, 10_000);
}

/** Formats for people, e.g. `1,500.00 USD`; two decimals, as every fee currency in the catalog uses. */
export function formatMoney({ amountMinor, currency }: Amount): string {
  const value = BigInt(amountMinor);
  const sign = value < 0n ? '-' : '';
  const magnitude = value < 0n ? -value : value;
  const units = (magnitude / 100n).toLocaleString('en-US');
  return `${sign}${units}.${String(magnitude % 100n).padStart(2, '0')} ${currency}`;
}
