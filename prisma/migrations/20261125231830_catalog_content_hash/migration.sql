-- AlterTable
ALTER TABLE "CatalogVersion" ADD COLUMN     "contentHash" TEXT;

