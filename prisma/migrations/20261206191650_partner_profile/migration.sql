-- AlterTable
ALTER TABLE "Partner" ADD COLUMN     "description" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "languages" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "listed" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "serviceAreas" TEXT[] DEFAULT ARRAY[]::TEXT[];

