import type { PartnerProfile } from './profiles';

/**
 * Who the Solution Finder lists, and where: an active partner at a level the catalog's Solution
 * Finder listing benefit includes, that did not opt out, shows one profile per country of
 * presence (an active office there, or a declared service area in it). Everything else has no
 * rows, so a lapsed, withdrawn or absorbed partner disappears the moment its status changes.
 */

/** The catalog benefit whose levels are the ones the directory lists (Certified and Gold in every version so far). */
export const SOLUTION_FINDER_LISTING = 'solution-finder-listing';

/** ISO 639-1 codes and the Postgres text search configurations that stem them (those every supported Postgres has). */
const SEARCH_CONFIGS: Readonly<Record<string, string>> = {
  da: 'danish',
  de: 'german',
  en: 'english',
  es: 'spanish',
  fi: 'finnish',
  fr: 'french',
  hu: 'hungarian',
  it: 'italian',
  nb: 'norwegian',
  nl: 'dutch',
  nn: 'norwegian',
  no: 'norwegian',
  pt: 'portuguese',
  ro: 'romanian',
  ru: 'russian',
  sv: 'swedish',
  tr: 'turkish',
};

/** The configuration of the partner's first language Postgres stems; `simple` (no stemming) when none. */
export function searchConfigFor(languages: readonly string[]): string {
  return languages.map((language) => SEARCH_CONFIGS[language]).find(Boolean) ?? 'simple';
}

/** What the directory reads of a partner, as of one moment under the catalog then in force. */
export interface DirectoryFacts extends Omit<PartnerProfile, 'contact' | 'mutedNotices'> {
  partnerId: string;
  name: string;
  status: string;
  level: string;
  offices: Array<{ city: string; country: string }>;
  /** Granted competencies, with their catalog names where the catalog has them. */
  competencies: Array<{ code: string; name?: string }>;
  designations: string[];
  /** The levels the catalog's Solution Finder listing benefit includes. */
  listedLevels: string[];
  /** The partner's level's rank in the catalog. */
  levelRank: number;
}

export interface DirectoryRow {
  partnerId: string;
  country: string;
  presence: 'office' | 'service-area';
  name: string;
  description: string;
  website: string;
  level: string;
  levelRank: number;
  competencies: string[];
  designations: string[];
  industries: string[];
  customerSizes: string[];
  technologies: string[];
  languages: string[];
  cities: string[];
  regions: string[];
  searchConfig: string;
  /** The text weighted B in the search vector: competency codes and names, and technologies. */
  keywords: string;
}

const unique = <T>(values: readonly T[]): T[] => [...new Set(values)];

/** Whether the partner is in the directory at all. */
export function isListed(facts: Pick<DirectoryFacts, 'status' | 'listed' | 'level' | 'listedLevels'>): boolean {
  return facts.status === 'active' && facts.listed && facts.listedLevels.includes(facts.level);
}

/** The partner's rows: one per country of presence, offices' countries first; none when it is not listed. */
export function directoryRows(facts: DirectoryFacts): DirectoryRow[] {
  if (!isListed(facts)) return [];
  const countryOf = (area: string) => area.slice(0, 2);
  const countries = unique([...facts.offices.map((office) => office.country), ...facts.serviceAreas.map(countryOf)]);
  const competencies = facts.competencies.map((competency) => competency.code);
  const keywords = unique([
    ...facts.competencies.flatMap((competency) => (competency.name ? [competency.code, competency.name] : [competency.code])),
    ...facts.technologies,
  ]);
  return countries.map((country) => {
    const cities = unique(facts.offices.filter((office) => office.country === country).map((office) => office.city));
    return {
      partnerId: facts.partnerId,
      country,
      presence: cities.length > 0 ? 'office' : 'service-area',
      name: facts.name,
      description: facts.description,
      website: facts.website,
      level: facts.level,
      levelRank: facts.levelRank,
      competencies,
      designations: facts.designations,
      industries: facts.industries,
      customerSizes: facts.customerSizes,
      technologies: facts.technologies,
      languages: facts.languages,
      cities,
      regions: unique(facts.serviceAreas.filter((area) => area !== country && countryOf(area) === country)),
      searchConfig: searchConfigFor(facts.languages),
      keywords: keywords.join(' '),
    };
  });
}

/** Every text search configuration a row's vector may be built with: a query is parsed in each, and a row matches in its own. */
export const SEARCH_CONFIG_NAMES: readonly string[] = [...new Set([...Object.values(SEARCH_CONFIGS), 'simple'])].sort();

/**
 * The filters of a directory search, as the query string names them: several values of one kind
 * match any of them (OR), several kinds must all hold (AND). Facets are counted for each.
 */
export const DIRECTORY_FILTERS = [
  'competency',
  'industry',
  'customerSize',
  'technology',
  'designation',
  'country',
  'region',
  'city',
] as const;
export type DirectoryFilter = (typeof DIRECTORY_FILTERS)[number];

/** The filters on where a partner is, which differ between its rows; the others are alike on every row of it. */
const LOCALE_FILTERS = ['country', 'region', 'city'] as const satisfies readonly DirectoryFilter[];
type LocaleFilter = (typeof LOCALE_FILTERS)[number];
type PartnerFilter = Exclude<DirectoryFilter, LocaleFilter>;

export const isLocaleFilter = (kind: DirectoryFilter): kind is LocaleFilter => (LOCALE_FILTERS as readonly string[]).includes(kind);

/** The row's array field each filter kind but `country` (the row's own column) reads. */
export const DIRECTORY_FILTER_FIELDS = {
  competency: 'competencies',
  industry: 'industries',
  customerSize: 'customerSizes',
  technology: 'technologies',
  designation: 'designations',
  region: 'regions',
  city: 'cities',
} as const satisfies Record<Exclude<DirectoryFilter, 'country'>, keyof DirectoryRow>;

/** How a row's `facetKeys` and `placeKeys` name one value of a filter (kinds hold no colon, so the first one splits). */
export const facetKey = (kind: DirectoryFilter, value: string): string => `${kind}:${value}`;

const PARTNER_FILTERS = DIRECTORY_FILTERS.filter((kind): kind is PartnerFilter => !isLocaleFilter(kind));

const keysOf = (row: DirectoryRow, kinds: ReadonlyArray<Exclude<DirectoryFilter, 'country'>>) =>
  kinds.flatMap((kind) => row[DIRECTORY_FILTER_FIELDS[kind]].map((value) => facetKey(kind, value)));

const facetKeysOf = (row: DirectoryRow): string[] => keysOf(row, PARTNER_FILTERS);
const placeKeysOf = (row: DirectoryRow): string[] => [facetKey('country', row.country), ...keysOf(row, ['region', 'city'])];

export interface ListingKeys {
  /** The row's values of the filters on what the partner is. */
  facetKeys: string[];
  /** The row's values of the filters on where: its country, regions and cities. */
  placeKeys: string[];
  /** On the partner's first row only, every row's place keys once; empty on its other rows. */
  partnerPlaceKeys: string[];
}

/**
 * Each row's filter values as keys, in the rows' order (every row of each partner among them):
 * one GIN index over `facetKeys` and `placeKeys` answers every filter of a search in one scan, and
 * one pass over each counts the facets. A search with no locale filter matches every row of a
 * partner alike, so it reads the partner's first row alone, whose `partnerPlaceKeys` count where
 * the partner is.
 */
export function listingKeys(rows: readonly DirectoryRow[]): ListingKeys[] {
  const places = new Map<string, Set<string>>();
  for (const row of rows) places.set(row.partnerId, new Set([...(places.get(row.partnerId) ?? []), ...placeKeysOf(row)]));
  const seen = new Set<string>();
  return rows.map((row) => {
    const first = !seen.has(row.partnerId);
    seen.add(row.partnerId);
    return { facetKeys: facetKeysOf(row), placeKeys: placeKeysOf(row), partnerPlaceKeys: first ? [...places.get(row.partnerId)!] : [] };
  });
}

/** The most values one facet lists (the most frequent first). */
export const FACET_VALUES_SHOWN = 50;
