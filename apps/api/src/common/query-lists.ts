/**
 * A repeatable query parameter as a list, without its empty values: `?city=` is what an empty
 * form field sends, and how clients write an empty list, so it filters on nothing; a list left
 * with no value is no filter at all.
 */
export function withoutEmptyValues(value: unknown): unknown {
  if (value === undefined) return value;
  const values = (Array.isArray(value) ? value : [value]).filter((item) => item !== '');
  return values.length ? values : undefined;
}
