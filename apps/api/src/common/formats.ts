import { Matches } from 'class-validator';
import { CountryCodes } from 'validator/lib/isISO31661Alpha2';
import isISO6391 from 'validator/lib/isISO6391';

/**
 * Formats the validators enforce, written once for the validator and the OpenAPI document, so a
 * value the document allows is one the API accepts, and the other way round.
 */

/** What `@IsUUID()` accepts: versions 1 to 8 in the RFC variant, the nil and the max UUID. */
export const UUID_PATTERN =
  '^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-8][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}|0{8}-0{4}-0{4}-0{4}-0{12}|[fF]{8}-[fF]{4}-[fF]{4}-[fF]{4}-[fF]{12})$';

/** ISO 3166-1 alpha-2 codes, upper case, as `@IsISO31661Alpha2()` knows them. */
export const COUNTRY_CODES: readonly string[] = [...CountryCodes].sort();

/** ISO 639-1 language codes, as `isISO6391` knows them (it keeps its list to itself: every two-letter pair it accepts). */
const LETTERS = [...'abcdefghijklmnopqrstuvwxyz'];
export const LANGUAGE_CODES: readonly string[] = LETTERS.flatMap((first) => LETTERS.map((second) => first + second)).filter((code) =>
  isISO6391(code),
);

/** A country (ISO 3166-1 alpha-2, `DE`) or one of its regions (ISO 3166-2, `DE-BY`): the country part must be a known code. */
export const SERVICE_AREA_PATTERN = `^(${COUNTRY_CODES.join('|')})(-[A-Z0-9]{1,3})?$`;

/** Plain text: no control characters but the line feed, and no angle brackets, so no markup. */
export const PLAIN_TEXT_PATTERN = '^[^\\u0000-\\u0009\\u000b-\\u001f\\u007f-\\u009f<>]*$';

/**
 * An http(s) URL with a DNS host name: a subset of what `@IsUrl({ require_protocol: true })`
 * accepts, checked with it so that the pattern alone decides.
 */
export const WEB_URL_PATTERN =
  "^https?://([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,63}(:[1-9][0-9]{0,3})?(/[A-Za-z0-9._~%!$&'()*+,;=:@/-]*)?(\\?[A-Za-z0-9._~%!$&'()*+,;=:@/?-]*)?(#[A-Za-z0-9._~%!$&'()*+,;=:@/?-]*)?$";

const MONTH_DAY = '((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)|02-(0[1-9]|1[0-9]|2[0-8]))';
const LEAP_DAY = '([1-9][0-9](0[48]|[2468][048]|[13579][26])|([2468][048]|[13579][26])00)-02-29';
const DATE = `([1-9][0-9]{3}-${MONTH_DAY}|${LEAP_DAY})`;
const TIME = 'T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]{1,3})?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])';

/** A calendar date (2026-10-01) or a date and time with its offset (2026-10-01T09:30:00Z), years 1000 to 9999. */
export const DATE_OR_DATE_TIME_PATTERN = `^${DATE}(${TIME})?$`;

/** Validates `DATE_OR_DATE_TIME_PATTERN`, a subset of strict ISO 8601 that every reader of the document draws alike. */
export const IsDateOrDateTime = () =>
  Matches(new RegExp(DATE_OR_DATE_TIME_PATTERN), {
    message: 'must be a date (2026-10-01) or a date and time with its offset (2026-10-01T09:30:00Z)',
  });

/**
 * Not blank: holds a character that `String.prototype.trim()` keeps. Spelled out rather than
 * `\S`, which other regex engines (the document's readers) draw differently. Anchored, and with
 * no U+0000 anywhere, so the document states what `RejectNulCharactersPipe` refuses too.
 */
export const NOT_BLANK_PATTERN =
  '^[^\\u0000]*[^\\u0000\\t\\n\\v\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff][^\\u0000]*$';
