import {
  DIRECTORY_FILTERS,
  type DirectoryFacts,
  type DirectoryFilter,
  type DirectoryRow,
  FACET_VALUES_SHOWN,
  facetKey,
  isLocaleFilter,
  SEARCH_CONFIG_NAMES,
  SOLUTION_FINDER_LISTING,
} from '../domain/directory';
import { type DatabaseReader, Prisma } from '../lib/database';

/** What the directory shows of the partner as of `at`, under the catalog then in force; null when there is no such partner. */
export async function directoryFacts(db: DatabaseReader, partnerId: string, at: Date): Promise<DirectoryFacts | null> {
  const [partner, competencies, designations, catalog] = await Promise.all([
    db.partner.findUnique({
      where: { id: partnerId },
      include: {
        locations: {
          where: { removedAt: null },
          orderBy: [{ isPrimary: 'desc' }, { createdAt: 'asc' }],
          select: { city: true, country: true },
        },
      },
    }),
    db.partnerCompetency.findMany({ where: { partnerId, status: 'granted' }, orderBy: { code: 'asc' }, select: { code: true } }),
    db.partnerDesignation.findMany({ where: { partnerId, status: 'granted' }, orderBy: { code: 'asc' }, select: { code: true } }),
    db.catalogVersion.findFirst({
      where: { effectiveFrom: { lte: at } },
      orderBy: { effectiveFrom: 'desc' },
      select: {
        levels: { select: { code: true, rank: true } },
        competencies: { select: { code: true, name: true } },
        benefits: { where: { code: SOLUTION_FINDER_LISTING }, select: { levels: true } },
      },
    }),
  ]);
  if (!partner) return null;
  const competencyNames = new Map(catalog?.competencies.map((competency) => [competency.code, competency.name]));
  return {
    partnerId,
    name: partner.legalName,
    status: partner.status,
    level: partner.level,
    listed: partner.listed,
    description: partner.description,
    website: partner.website,
    industries: partner.industries,
    customerSizes: partner.customerSizes,
    technologies: partner.technologies,
    languages: partner.languages,
    serviceAreas: partner.serviceAreas,
    offices: partner.locations,
    competencies: competencies.map(({ code }) => ({ code, name: competencyNames.get(code) })),
    designations: designations.map(({ code }) => code),
    listedLevels: catalog?.benefits[0]?.levels ?? [],
    levelRank: catalog?.levels.find((level) => level.code === partner.level)?.rank ?? 0,
  };
}

/** Where the partner is present, as a search shows it: one entry per country of presence. */
export type DirectoryPresenceView = Pick<DirectoryRow, 'country' | 'presence' | 'cities' | 'regions'>;

/** What the Solution Finder shows of a partner: its public fields only (no contact, no ids of people). */
export interface DirectoryPartnerView extends Pick<
  DirectoryRow,
  | 'partnerId'
  | 'name'
  | 'description'
  | 'website'
  | 'level'
  | 'competencies'
  | 'designations'
  | 'industries'
  | 'customerSizes'
  | 'technologies'
  | 'languages'
> {
  /** The countries it is present in (a search with a locale: those that matched it), offices first. */
  presence: DirectoryPresenceView[];
}

export interface FacetCountView {
  code: string;
  /** Partners of the result set with this value. */
  count: number;
}

export type DirectoryFacetsView = Record<DirectoryFilter, FacetCountView[]>;

/** Where a page ended, in the search's order: level rank (descending), relevance (descending), partner id. */
export interface DirectoryCursor {
  levelRank: number;
  relevance: number;
  partnerId: string;
}

export interface DirectorySearch {
  /** Words as a user types them (`websearch_to_tsquery`: quotes, `-`, `or`). */
  q?: string;
  /** Per kind, the values any of which matches; every kind given must match. */
  filters: Partial<Record<DirectoryFilter, readonly string[]>>;
  limit: number;
  after?: DirectoryCursor;
}

export interface DirectorySearchResult {
  items: DirectoryPartnerView[];
  next: DirectoryCursor | null;
  /** Partners in the whole result set (every page). */
  total: number;
  facets: DirectoryFacetsView;
}

/** One row's part of a partner: the fields every row of the partner holds alike, and its presence entries. */
const partnerJson = (row: Prisma.Sql, presence: Prisma.Sql) => Prisma.sql`json_build_object(
  'partnerId', ${row}."partnerId"::text, 'name', ${row}.name, 'description', ${row}.description, 'website', ${row}.website,
  'level', ${row}.level, 'competencies', ${row}.competencies, 'designations', ${row}.designations, 'industries', ${row}.industries,
  'customerSizes', ${row}."customerSizes", 'technologies', ${row}.technologies, 'languages', ${row}.languages, 'presence', ${presence})`;

/** The presence entries of a set of listing rows `l`, offices first, then by country. */
const presenceJson = Prisma.sql`json_agg(json_build_object('country', l.country, 'presence', l.presence, 'cities', l.cities,
  'regions', l.regions) ORDER BY l.presence = 'office' DESC, l.country)`;

/**
 * The Solution Finder's search, in one statement: the listing rows that match every filter kind
 * (any value within a kind) and the words, parsed in each row's own text search configuration, so
 * the query stems as the row's vector does; their partners ranked by level, then relevance
 * (`ts_rank_cd`), then id; the page after the cursor; and the facet counts over the whole result.
 * A locale filter is a filter on rows: a partner is found in a country only through its row there.
 * Without one every row of a partner matches alike, so only its first row is read.
 */
export async function searchDirectory(db: DatabaseReader, search: DirectorySearch): Promise<DirectorySearchResult> {
  const { filters, limit, after } = search;
  const conditions: Prisma.Sql[] = [];
  for (const kind of DIRECTORY_FILTERS) {
    const values = filters[kind];
    if (!values || values.length === 0) continue;
    const column = isLocaleFilter(kind) ? Prisma.raw('l."placeKeys"') : Prisma.raw('l."facetKeys"');
    conditions.push(Prisma.sql`${column} && ${values.map((value) => facetKey(kind, value))}::text[]`);
  }
  const byLocale = DIRECTORY_FILTERS.some((kind) => isLocaleFilter(kind) && (filters[kind]?.length ?? 0) > 0);
  // A found partner's rows that matched: the same filters (the words hold on every row of a partner alike).
  const rowConditions = conditions.length > 0 ? Prisma.sql`AND ${Prisma.join(conditions, ' AND ')}` : Prisma.empty;
  const readRows = byLocale ? conditions : [...conditions, Prisma.sql`l."partnerPlaceKeys" <> '{}'`];
  const where = readRows.length > 0 ? Prisma.sql`WHERE ${Prisma.join(readRows, ' AND ')}` : Prisma.empty;
  const text = search.q?.trim() ? search.q : undefined;
  // Parsed in every configuration, one index scan per distinct parse, of the rows of the configurations that parse
  // alike (the index leads with the configuration): rows match the parse of their own configuration.
  const source = text
    ? Prisma.sql`"DirectoryListing" l JOIN (
        SELECT tsquery, array_agg(config) AS configs FROM (
          SELECT config, websearch_to_tsquery(config::regconfig, ${text}) AS tsquery FROM unnest(${[...SEARCH_CONFIG_NAMES]}::text[]) AS config
        ) parsed GROUP BY tsquery
      ) query ON l.search @@ query.tsquery AND l."searchConfig" = ANY(query.configs)`
    : Prisma.sql`"DirectoryListing" l`;
  // Ranked only from the lowest level the page can reach: a broad search ranks its Gold partners, not all of them.
  const relevance = text
    ? Prisma.sql`ts_rank_cd((SELECT d.search FROM "DirectoryListing" d WHERE d."partnerId" = p."partnerId" AND d.country = p.country), p.tsquery)::float8`
    : Prisma.sql`0::float8`;
  // The relevance goes as text: a number parameter reaches Postgres rounded to 16 digits, and would no longer meet its own row.
  const beyond = after
    ? Prisma.sql`WHERE (-c."levelRank", -c.relevance, c."partnerId") > (${-after.levelRank}::int, ${String(-after.relevance)}::float8, ${after.partnerId}::uuid)`
    : Prisma.empty;
  const [result] = await db.$queryRaw<
    Array<{
      total: number;
      items: Array<DirectoryPartnerView & { levelRank: number; relevance: string }>;
      facets: Array<{ kind: DirectoryFilter; codes: FacetCountView[] }> | null;
    }>
  >`
    WITH matched AS MATERIALIZED (
      SELECT l."partnerId", l.country, l."levelRank", l."facetKeys", ${byLocale ? Prisma.sql`l."placeKeys"` : Prisma.sql`l."partnerPlaceKeys" AS "placeKeys"`}
        ${text ? Prisma.sql`, query.tsquery` : Prisma.empty}
      FROM ${source} ${where}
    ), partners AS MATERIALIZED (
      -- One matched row per partner: every row of a partner holds the same level, vector and profile fields.
      ${byLocale ? Prisma.sql`SELECT DISTINCT ON ("partnerId") * FROM matched ORDER BY "partnerId"` : Prisma.sql`SELECT * FROM matched`}
    ), reach AS (
      -- The lowest level the page reaches: the highest one down to which (below the cursor's) more partners than the
      -- page holds wait; the cursor's own level is ranked whole.
      SELECT coalesce(max("levelRank") FILTER (WHERE waiting > ${limit}), -2147483648) AS "levelRank" FROM (
        SELECT "levelRank", sum(n) OVER (ORDER BY "levelRank" DESC) AS waiting FROM (
          SELECT "levelRank", count(*) AS n FROM partners ${after ? Prisma.sql`WHERE "levelRank" < ${after.levelRank}` : Prisma.empty} GROUP BY "levelRank"
        ) levels
      ) counted
    ), candidates AS (
      SELECT p."partnerId", p.country, p."levelRank", ${relevance} AS relevance FROM partners p
      WHERE p."levelRank" >= (SELECT "levelRank" FROM reach) ${after ? Prisma.sql`AND p."levelRank" <= ${after.levelRank}` : Prisma.empty}
    ), page AS (
      SELECT c.* FROM candidates c ${beyond} ORDER BY c."levelRank" DESC, c.relevance DESC, c."partnerId" LIMIT ${limit + 1}
    ), facets AS (
      -- Each value's partners, in one pass over one row per partner for what they are and one for where (over the
      -- matched rows when a locale filter chose them: a partner counted once per city, which two of its countries
      -- may share). unnest in the select list, not in FROM: no tuplestore per row.
      SELECT key, count(*) AS n FROM (SELECT unnest("facetKeys") AS key FROM partners) keys GROUP BY key
      UNION ALL SELECT key, count(*) FROM (
        ${byLocale ? Prisma.sql`SELECT DISTINCT "partnerId", unnest("placeKeys") AS key FROM matched` : Prisma.sql`SELECT unnest("placeKeys") AS key FROM partners`}
      ) keys GROUP BY key
    ), ranked AS (
      SELECT kind, substr(key, length(kind) + 2) AS code, n,
        row_number() OVER (PARTITION BY kind ORDER BY n DESC, substr(key, length(kind) + 2) COLLATE "C") AS position
      FROM (SELECT split_part(key, ':', 1) AS kind, key, n FROM facets) keyed
    )
    SELECT
      (SELECT count(*) FROM partners)::int AS total,
      (SELECT coalesce(json_agg(item ORDER BY p."levelRank" DESC, p.relevance DESC, p."partnerId"), '[]'::json)
        FROM page p, LATERAL (
          SELECT ${partnerJson(Prisma.raw('d'), Prisma.sql`(SELECT ${presenceJson} FROM "DirectoryListing" l WHERE l."partnerId" = p."partnerId" ${rowConditions})`)}::jsonb
            -- As text: a float8 becomes a 15-digit numeric in JSON, and the cursor would no longer meet its own row.
            || jsonb_build_object('levelRank', p."levelRank", 'relevance', p.relevance::text) AS item
          FROM "DirectoryListing" d WHERE d."partnerId" = p."partnerId" AND d.country = p.country
        ) row) AS items,
      (SELECT json_agg(json_build_object('kind', kind, 'codes', codes)) FROM (
        SELECT kind, json_agg(json_build_object('code', code, 'count', n) ORDER BY n DESC, code COLLATE "C") AS codes
        FROM ranked WHERE position <= ${FACET_VALUES_SHOWN} GROUP BY kind) f) AS facets`;
  const shown = result.items.slice(0, limit);
  const last = shown[shown.length - 1];
  const facets = Object.fromEntries(DIRECTORY_FILTERS.map((kind) => [kind, [] as FacetCountView[]])) as DirectoryFacetsView;
  for (const { kind, codes } of result.facets ?? []) facets[kind] = codes.map(({ code, count }) => ({ code, count: Number(count) }));
  return {
    items: shown.map(({ levelRank: _rank, relevance: _relevance, ...item }) => item),
    next:
      result.items.length > limit && last
        ? { levelRank: last.levelRank, relevance: Number(last.relevance), partnerId: last.partnerId }
        : null,
    total: result.total,
    facets,
  };
}

/** The partner as the Solution Finder shows it, every country of presence; null when it is not listed. */
export async function findDirectoryPartner(db: DatabaseReader, partnerId: string): Promise<DirectoryPartnerView | null> {
  const [row] = await db.$queryRaw<Array<{ item: DirectoryPartnerView }>>`
    SELECT ${partnerJson(Prisma.raw('d'), Prisma.sql`(SELECT ${presenceJson} FROM "DirectoryListing" l WHERE l."partnerId" = d."partnerId")`)} AS item
    FROM "DirectoryListing" d WHERE d."partnerId" = ${partnerId}::uuid LIMIT 1`;
  return row?.item ?? null;
}
