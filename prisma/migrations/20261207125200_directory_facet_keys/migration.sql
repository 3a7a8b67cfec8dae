-- DropIndex
DROP INDEX "DirectoryListing_competencies_idx";

-- DropIndex
DROP INDEX "DirectoryListing_designations_idx";

-- DropIndex
DROP INDEX "DirectoryListing_industries_idx";

-- DropIndex
DROP INDEX "DirectoryListing_customerSizes_idx";

-- DropIndex
DROP INDEX "DirectoryListing_technologies_idx";

-- DropIndex
DROP INDEX "DirectoryListing_cities_idx";

-- DropIndex
DROP INDEX "DirectoryListing_regions_idx";

-- AlterTable
ALTER TABLE "DirectoryListing" ADD COLUMN     "facetKeys" TEXT[],
ADD COLUMN     "partnerPlaceKeys" TEXT[],
ADD COLUMN     "placeKeys" TEXT[];

-- A search reads the vector, the keys and the arrays of every row it matches: kept in the row, uncompressed, up to
-- a whole page, rather than in the TOAST table (one more index lookup per value and row).
ALTER TABLE "DirectoryListing" SET (toast_tuple_target = 8160);

-- Rows written before: their keys, as listingKeys builds them. (Their values already out of line stay there until
-- the partner's next refresh: only slower.)
UPDATE "DirectoryListing" SET
  "facetKeys" = array(SELECT 'competency:' || v FROM unnest(competencies) v)
    || array(SELECT 'industry:' || v FROM unnest(industries) v)
    || array(SELECT 'customerSize:' || v FROM unnest("customerSizes") v)
    || array(SELECT 'technology:' || v FROM unnest(technologies) v)
    || array(SELECT 'designation:' || v FROM unnest(designations) v),
  "placeKeys" = ARRAY['country:' || country]
    || array(SELECT 'region:' || v FROM unnest(regions) v)
    || array(SELECT 'city:' || v FROM unnest(cities) v),
  "partnerPlaceKeys" = '{}';
UPDATE "DirectoryListing" first SET "partnerPlaceKeys" = ARRAY(
    SELECT DISTINCT key FROM "DirectoryListing" l, unnest(l."placeKeys") AS key WHERE l."partnerId" = first."partnerId")
  WHERE (first."partnerId", first.country) IN (
    SELECT DISTINCT ON ("partnerId") "partnerId", country FROM "DirectoryListing" ORDER BY "partnerId", presence = 'office' DESC, country);

-- A query parsed in one configuration (a stem of another language can be any word of this one) scans that
-- configuration's rows only: the text index leads with it, through btree_gin (a trusted extension).
CREATE EXTENSION IF NOT EXISTS btree_gin;
DROP INDEX "DirectoryListing_search_idx";
CREATE INDEX "DirectoryListing_search_idx" ON "DirectoryListing" USING GIN ("searchConfig", search);

-- CreateIndex
CREATE INDEX "DirectoryListing_facetKeys_placeKeys_idx" ON "DirectoryListing" USING GIN ("facetKeys", "placeKeys");

