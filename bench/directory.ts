import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { insertListingRows } from '../activities/directory';
import type { DirectoryRow } from '../domain/directory';
import { createPrismaClient, type PrismaClient } from '../lib/database';
import { readCatalogDocuments } from '../prisma/seed';
import { repoRoot } from '../lib/paths';
import { poolConfigFromUrl } from '../lib/database-url';
import { migrateAndSeed } from '../scripts/infra/database';
import { freePort, waitFor } from '../scripts/infra/ports';
import { startEmbeddedPostgres } from '../scripts/infra/postgres';

/**
 * `npm run bench -- directory`: the Solution Finder at 100,000 partners. Seeds the listing rows
 * with batched multi-row inserts (vectors built by Postgres, as `refreshDirectoryListing` builds
 * them), then times 1,000 mixed searches through the product's API over HTTP and the same
 * searches as naive `ILIKE` SQL sent straight to Postgres (no HTTP, no facets: the baseline is
 * favoured), and prints the percentiles and the ratio.
 */

const PARTNERS = Number(process.env.BENCH_DIRECTORY_PARTNERS ?? 100_000);
const SEARCHES = Number(process.env.BENCH_DIRECTORY_SEARCHES ?? 1_000);
const WARM_UP = 100;
const BATCH = 2_000;

/** A small deterministic PRNG (mulberry32), so every run seeds and searches the same data. */
function prng(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = prng(20261206);
const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)];
/** Zipf-like: early values far more often than late ones, as countries and words are. */
const skewed = <T>(values: readonly T[]): T => values[Math.floor(values.length * random() ** 2.2)];
const some = <T>(values: readonly T[], min: number, max: number): T[] => {
  const count = min + Math.floor(random() * (max - min + 1));
  return [...new Set(Array.from({ length: count }, () => skewed(values)))];
};

const COUNTRIES = ['US', 'GB', 'DE', 'FR', 'IN', 'CA', 'AU', 'NL', 'ES', 'IT', 'SE', 'BR', 'JP', 'PL', 'IE', 'CH', 'BE', 'DK', 'NO', 'FI'];
const LANGUAGES: Record<string, string> = {
  US: 'en',
  GB: 'en',
  DE: 'de',
  FR: 'fr',
  CA: 'en',
  AU: 'en',
  NL: 'nl',
  ES: 'es',
  IT: 'it',
  SE: 'sv',
};
const CONFIGS: Record<string, string> = {
  en: 'english',
  de: 'german',
  fr: 'french',
  nl: 'dutch',
  es: 'spanish',
  it: 'italian',
  sv: 'swedish',
};
const CITIES = (country: string) => Array.from({ length: 12 }, (_, index) => `${country}-City-${index + 1}`);
const REGIONS = (country: string) => Array.from({ length: 8 }, (_, index) => `${country}-R${index + 1}`);
const COMPETENCIES = readCatalogDocuments()
  .at(-1)!
  .competencies.map((competency) => competency.code);
const INDUSTRIES = [
  'retail',
  'manufacturing',
  'health',
  'finance',
  'public-sector',
  'education',
  'energy',
  'media',
  'logistics',
  'hospitality',
  'telecom',
  'insurance',
  'legal',
  'agriculture',
  'automotive',
];
const SIZES = ['small-business', 'mid-market', 'enterprise', 'public-sector'];
const TECHNOLOGIES = [
  'azure',
  'sql-server',
  'sharepoint',
  'dynamics-365',
  'power-bi',
  'teams',
  'windows-server',
  'exchange',
  'office-365',
  'intune',
  'defender',
  'sentinel',
  'fabric',
  'power-apps',
  'github',
  'visual-studio',
  'kubernetes',
  'dotnet',
  'copilot',
  'entra-id',
  'synapse',
  'purview',
  'system-center',
  'biztalk',
  'hyper-v',
];
/** The description vocabulary: domain words first, then a long tail, drawn by Zipf's law (the k-th word with weight 1/k), as words in text are. */
const VOCABULARY = [
  ...'cloud migration security analytics data consulting managed services integration modernization licensing support training infrastructure networking mobile devices identity compliance governance automation reporting dashboards backup recovery hosting collaboration workflow portal intranet commerce retail supply chain warehouse finance accounting payroll crm erp marketing sales field service healthcare clinics patients banking insurance claims manufacturing plants quality energy utilities logistics fleet education schools students government citizens legal contracts documents archive search ai machine learning copilot chatbots devops pipelines testing monitoring performance optimization cost assessment roadmap strategy architecture design implementation rollout adoption change management helpdesk outsourcing staffing nearshore offshore experts certified engineers architects developers consultants projects customers partners solutions platform software hardware appliances storage servers virtualization containers microservices apis'.split(
    ' ',
  ),
  ...Array.from({ length: 5_000 }, (_, index) => `term${index.toString(36)}`),
];
const ZIPF = (() => {
  const cumulative: number[] = [];
  let sum = 0;
  for (let rank = 1; rank <= VOCABULARY.length; rank += 1) cumulative.push((sum += 1 / rank));
  return cumulative.map((value) => value / sum);
})();
function zipfWord(): string {
  const target = random();
  let low = 0;
  let high = ZIPF.length - 1;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (ZIPF[middle] < target) low = middle + 1;
    else high = middle;
  }
  return VOCABULARY[low];
}
const words = (min: number, max: number) => Array.from({ length: min + Math.floor(random() * (max - min + 1)) }, zipfWord);

function partnerRows(index: number): DirectoryRow[] {
  const partnerId = `${randomBytes(4).toString('hex')}-${randomBytes(2).toString('hex')}-4${randomBytes(2).toString('hex').slice(1)}-8${randomBytes(2).toString('hex').slice(1)}-${randomBytes(6).toString('hex')}`;
  const home = skewed(COUNTRIES);
  const abroad = random() < 0.25 ? some(COUNTRIES, 1, 3) : [];
  const level = random() < 0.15 ? 'gold' : 'certified';
  const competencies = some(COMPETENCIES, 1, 4);
  const technologies = some(TECHNOLOGIES, 1, 6);
  const language = LANGUAGES[home] ?? (random() < 0.5 ? 'en' : undefined);
  const searchConfig = (language && CONFIGS[language]) ?? 'simple';
  const base = {
    partnerId,
    name: `${pick(['Contoso', 'Fabrikam', 'Northwind', 'Adatum', 'Litware', 'Proseware', 'Tailspin', 'Wingtip', 'Woodgrove', 'Fourth Coffee'])} ${pick(VOCABULARY.slice(0, 100))} ${index}`,
    description: words(50, 150).join(' '),
    website: 'https://partner.example',
    level,
    levelRank: level === 'gold' ? 3 : 2,
    competencies,
    designations: random() < 0.1 ? ['small-business-specialist'] : [],
    industries: some(INDUSTRIES, 1, 3),
    customerSizes: some(SIZES, 1, 2),
    technologies,
    languages: language ? [language] : [],
    searchConfig,
    keywords: [...competencies, ...technologies].join(' '),
  };
  return [...new Set([home, ...abroad])].map((country, position) => ({
    ...base,
    country,
    presence: position === 0 ? ('office' as const) : ('service-area' as const),
    cities: position === 0 ? some(CITIES(country), 1, 2) : [],
    regions: random() < 0.3 ? some(REGIONS(country), 1, 2) : [],
  }));
}

async function seed(prisma: PrismaClient, db: Client): Promise<{ rows: number; ms: number }> {
  const started = performance.now();
  let rows = 0;
  for (let first = 0; first < PARTNERS; first += BATCH) {
    const batch = Array.from({ length: Math.min(BATCH, PARTNERS - first) }, (_, offset) => partnerRows(first + offset)).flat();
    rows += batch.length;
    await insertListingRows(prisma, batch, new Date());
  }
  // As autovacuum leaves a live table: hint bits set and the visibility map current, not a first read of each row.
  await db.query('VACUUM ANALYZE "DirectoryListing"');
  return { rows, ms: performance.now() - started };
}

/** One search: its words (all required, or one quoted phrase) and its filters, with what kind of search it is. */
interface SearchCase {
  kind: string;
  words: string[];
  phrase: boolean;
  filters: Record<string, string[]>;
}

/**
 * The mix: a word alone; two words in a country; a word with a competency in a country; filters
 * alone; a city; a technology with a customer size; and a few quoted phrases of two of the most
 * common words (the heaviest: a third of all descriptions hold each word).
 */
function searchCase(): SearchCase {
  const country = skewed(COUNTRIES);
  // What people type: a meaningful word, not the commonest ones (ranks 40 to 5,000).
  const term = () => VOCABULARY[40 + Math.floor(random() * (VOCABULARY.length - 40))];
  const common = () => pick(VOCABULARY.slice(0, 40));
  const roll = random();
  if (roll < 0.25) return { kind: 'word', words: [term()], phrase: false, filters: {} };
  if (roll < 0.45) return { kind: 'words+country', words: [term(), common()], phrase: false, filters: { country: [country] } };
  if (roll < 0.6) {
    return {
      kind: 'word+country+competency',
      words: [term()],
      phrase: false,
      filters: { country: [country], competency: [pick(COMPETENCIES)] },
    };
  }
  if (roll < 0.78) {
    return {
      kind: 'filters',
      words: [],
      phrase: false,
      filters: { country: [country], competency: [pick(COMPETENCIES), pick(COMPETENCIES)], industry: [pick(INDUSTRIES)] },
    };
  }
  if (roll < 0.88) return { kind: 'city', words: [], phrase: false, filters: { country: [country], city: [pick(CITIES(country))] } };
  if (roll < 0.96) {
    return {
      kind: 'word+technology+size',
      words: [term()],
      phrase: false,
      filters: { technology: [pick(TECHNOLOGIES)], customerSize: [pick(SIZES)] },
    };
  }
  return { kind: 'common phrase', words: [common(), common()], phrase: true, filters: {} };
}

const queryString = (search: SearchCase) => {
  const params = new URLSearchParams();
  if (search.words.length > 0) params.set('q', search.phrase ? `"${search.words.join(' ')}"` : search.words.join(' '));
  for (const [kind, values] of Object.entries(search.filters)) for (const value of values) params.append(kind, value);
  params.set('limit', '20');
  return params.toString();
};

const COLUMNS: Record<string, string> = {
  competency: 'competencies',
  industry: 'industries',
  customerSize: '"customerSizes"',
  technology: 'technologies',
  city: 'cities',
};

/** The naive search: every word `ILIKE` the name, the description or the keywords; array filters by overlap. */
function ilike(search: SearchCase): { text: string; values: unknown[] } {
  const values: unknown[] = [];
  const conditions: string[] = [];
  const texts = search.phrase ? [search.words.join(' ')] : search.words;
  for (const text of texts) {
    values.push(`%${text}%`);
    conditions.push(
      `(name ILIKE $${values.length} OR description ILIKE $${values.length} OR array_to_string(technologies, ' ') ILIKE $${values.length} OR array_to_string(competencies, ' ') ILIKE $${values.length})`,
    );
  }
  for (const [kind, list] of Object.entries(search.filters)) {
    values.push(list);
    conditions.push(kind === 'country' ? `country = ANY($${values.length}::bpchar[])` : `${COLUMNS[kind]} && $${values.length}::text[]`);
  }
  const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
  return {
    text: `SELECT "partnerId", max("levelRank") AS rank FROM "DirectoryListing" ${where} GROUP BY "partnerId" ORDER BY rank DESC, "partnerId" LIMIT 21`,
    values,
  };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const summary = (label: string, times: number[]) => {
  const sorted = [...times].sort((a, b) => a - b);
  const [p50, p95, p99] = [50, 95, 99].map((p) => percentile(sorted, p));
  console.log(
    `${label}: p50 ${p50.toFixed(2)} ms, p95 ${p95.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms, max ${sorted.at(-1)!.toFixed(2)} ms`,
  );
  return { p50, p95, p99 };
};

function startApi(databaseUrl: string, port: number): ChildProcess {
  const child = spawn(process.execPath, [join(repoRoot(), 'dist', 'apps/api/src/main.js')], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      ADMIN_API_KEY: randomBytes(24).toString('base64url'),
      PAYMENT_WEBHOOK_SECRET: randomBytes(32).toString('base64url'),
      WEBHOOK_SIGNING_KEY: randomBytes(32).toString('base64url'),
      // Nothing here uses Temporal; the API's client connects lazily.
      TEMPORAL_ADDRESS: '127.0.0.1:1',
      // One client sends every search: the per-IP limit would stop it at 600 a minute.
      RATE_LIMIT_PER_MINUTE: '1000000',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return child;
}

async function main(): Promise<void> {
  const scratch = mkdtempSync(join(tmpdir(), 'partner-bench-directory-'));
  chmodSync(scratch, 0o755); // the embedded cluster runs as the `postgres` user when we are root
  const postgres = await startEmbeddedPostgres({
    dir: join(scratch, 'postgres'),
    port: await freePort(),
    database: 'directory_bench',
    persistent: false,
  });
  let api: ChildProcess | undefined;
  const db = new Client(poolConfigFromUrl(postgres.databaseUrl));
  const prisma = createPrismaClient(postgres.databaseUrl, 2);
  try {
    await migrateAndSeed(postgres.databaseUrl);
    await db.connect();
    const seeded = await seed(prisma, db);
    console.log(
      `seeded ${PARTNERS} partners (${seeded.rows} listing rows) in ${(seeded.ms / 1000).toFixed(1)} s (${Math.round(seeded.rows / (seeded.ms / 1000))} rows/s, batches of ${BATCH} partners)`,
    );

    const port = await freePort();
    api = startApi(postgres.databaseUrl, port);
    const base = `http://127.0.0.1:${port}`;
    await waitFor(
      'the API',
      async () => (await fetch(`${base}/v1/directory/partners?limit=1`)).ok || Promise.reject(new Error('not yet')),
      60_000,
    );

    const searches = Array.from({ length: SEARCHES }, searchCase);
    const run = async (search: SearchCase) => {
      const response = await fetch(`${base}/v1/directory/partners?${queryString(search)}`);
      if (!response.ok) throw new Error(`${queryString(search)} -> ${response.status} ${await response.text()}`);
      return (await response.json()) as { total: number };
    };
    for (const search of searches.slice(0, WARM_UP)) await run(search);
    const http: number[] = [];
    let found = 0;
    for (const search of searches) {
      const started = performance.now();
      found += (await run(search)).total;
      http.push(performance.now() - started);
    }
    console.log(
      `${SEARCHES} searches through the API (first page of 20, with facets), ${Math.round(found / SEARCHES)} partners found on average`,
    );
    const api95 = summary('search API      ', http);
    for (const kind of [...new Set(searches.map((search) => search.kind))]) {
      summary(
        `  ${kind} (${searches.filter((search) => search.kind === kind).length})`.padEnd(16),
        http.filter((_, index) => searches[index].kind === kind),
      );
    }

    for (const search of searches.slice(0, WARM_UP / 10)) await db.query(ilike(search));
    const naive: number[] = [];
    for (const search of searches) {
      const { text, values } = ilike(search);
      const started = performance.now();
      await db.query(text, values);
      naive.push(performance.now() - started);
    }
    const ilike95 = summary('ILIKE baseline  ', naive);
    console.log(
      `ratio (ILIKE / API): p50 ${(ilike95.p50 / api95.p50).toFixed(1)}x, p95 ${(ilike95.p95 / api95.p95).toFixed(1)}x, mean ${(naive.reduce((a, b) => a + b, 0) / http.reduce((a, b) => a + b, 0)).toFixed(1)}x`,
    );
    console.log(
      `target: API p95 < 20 ms (${api95.p95 < 20 ? 'met' : 'missed'}), at least 10x faster than ILIKE at p95 (${ilike95.p95 / api95.p95 >= 10 ? 'met' : 'missed'})`,
    );
  } finally {
    api?.kill('SIGTERM');
    await db.end().catch(() => undefined);
    await prisma.$disconnect();
    await postgres.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
