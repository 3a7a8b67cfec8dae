-- AlterTable
ALTER TABLE "Partner" ADD COLUMN     "description" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "languages" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "listed" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "serviceAreas" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- CreateTable
CREATE TABLE "DirectoryListing" (
    "partnerId" UUID NOT NULL,
    "country" CHAR(2) NOT NULL,
    "presence" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "website" TEXT NOT NULL,
    "level" TEXT NOT NULL,
    "levelRank" INTEGER NOT NULL,
    "competencies" TEXT[],
    "designations" TEXT[],
    "industries" TEXT[],
    "customerSizes" TEXT[],
    "technologies" TEXT[],
    "languages" TEXT[],
    "cities" TEXT[],
    "regions" TEXT[],
    "searchConfig" TEXT NOT NULL,
    "search" tsvector NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DirectoryListing_pkey" PRIMARY KEY ("partnerId","country")
);

-- CreateIndex
CREATE INDEX "DirectoryListing_country_levelRank_idx" ON "DirectoryListing"("country", "levelRank");

-- CreateIndex
CREATE INDEX "DirectoryListing_search_idx" ON "DirectoryListing" USING GIN ("search");

-- CreateIndex
CREATE INDEX "DirectoryListing_competencies_idx" ON "DirectoryListing" USING GIN ("competencies");

-- CreateIndex
CREATE INDEX "DirectoryListing_designations_idx" ON "DirectoryListing" USING GIN ("designations");

-- CreateIndex
CREATE INDEX "DirectoryListing_industries_idx" ON "DirectoryListing" USING GIN ("industries");

-- CreateIndex
CREATE INDEX "DirectoryListing_customerSizes_idx" ON "DirectoryListing" USING GIN ("customerSizes");

-- CreateIndex
CREATE INDEX "DirectoryListing_technologies_idx" ON "DirectoryListing" USING GIN ("technologies");

-- CreateIndex
CREATE INDEX "DirectoryListing_languages_idx" ON "DirectoryListing" USING GIN ("languages");

-- CreateIndex
CREATE INDEX "DirectoryListing_cities_idx" ON "DirectoryListing" USING GIN ("cities");

-- CreateIndex
CREATE INDEX "DirectoryListing_regions_idx" ON "DirectoryListing" USING GIN ("regions");

