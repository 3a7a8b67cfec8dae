import { type DirectoryRow, directoryRows, listingKeys } from '../domain/directory';
import type { DatabaseReader, TransactionClient } from '../lib/database';
import { directoryFacts } from '../queries/directory';

/**
 * Rebuilds the partner's Solution Finder rows inside the caller's transaction, from what that
 * transaction sees: every activity that changes what the directory shows (status, level,
 * competencies, designations, offices, profile) calls it before it commits, so the directory is
 * never stale. The search vector weighs the name A, competencies and technologies B and the
 * description C, in the partner's language where Postgres stems it.
 */
export async function refreshDirectoryListing(tx: TransactionClient, partnerId: string, at: Date): Promise<void> {
  const facts = await directoryFacts(tx, partnerId, at);
  await tx.directoryListing.deleteMany({ where: { partnerId } });
  const rows = facts ? directoryRows(facts) : [];
  if (rows.length === 0) return;
  await insertListingRows(tx, rows, at);
}

/**
 * Writes listing rows, each with its weighted search vector, in one statement. Only
 * `refreshDirectoryListing` writes the product's rows; the directory's tests and benchmark seed
 * theirs through it too, so their vectors are built as the product builds them.
 */
export async function insertListingRows(db: DatabaseReader, rows: readonly DirectoryRow[], at: Date): Promise<void> {
  const keys = listingKeys(rows);
  await db.$executeRaw`
    INSERT INTO "DirectoryListing" ("partnerId", country, presence, name, description, website, level, "levelRank", competencies,
      designations, industries, "customerSizes", technologies, "facetKeys", "placeKeys", "partnerPlaceKeys", languages, cities, regions, "searchConfig", search, "updatedAt")
    SELECT r."partnerId"::uuid, r.country, r.presence, r.name, r.description, r.website, r.level, r."levelRank", r.competencies,
      r.designations, r.industries, r."customerSizes", r.technologies, r."facetKeys", r."placeKeys", r."partnerPlaceKeys", r.languages, r.cities, r.regions, r."searchConfig",
      setweight(to_tsvector(r."searchConfig"::regconfig, r.name), 'A')
        || setweight(to_tsvector(r."searchConfig"::regconfig, r.keywords), 'B')
        || setweight(to_tsvector(r."searchConfig"::regconfig, r.description), 'C'),
      ${at}
    FROM jsonb_to_recordset(${JSON.stringify(rows.map((row, index) => ({ ...row, ...keys[index] })))}::jsonb) AS r("partnerId" text, country text, presence text, name text,
      description text, website text, level text, "levelRank" int, competencies text[], designations text[], industries text[],
      "customerSizes" text[], technologies text[], "facetKeys" text[], "placeKeys" text[], "partnerPlaceKeys" text[], languages text[], cities text[], regions text[], "searchConfig" text, keywords text)`;
}
