-- DropIndex
DROP INDEX "Evidence_partnerId_naturalKey_key";

-- AlterTable
ALTER TABLE "Partner" ADD COLUMN     "targetLevel" TEXT,
ADD COLUMN     "termsAcceptedAt" TIMESTAMP(3),
ADD COLUMN     "termsVersion" TEXT;

-- AlterTable
ALTER TABLE "Evidence" ADD COLUMN     "activityAt" TIMESTAMP(3),
ADD COLUMN     "attempt" INTEGER NOT NULL DEFAULT 1;

-- CreateIndex
CREATE INDEX "Evidence_partnerId_naturalKey_idx" ON "Evidence"("partnerId", "naturalKey");

