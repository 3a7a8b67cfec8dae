-- AlterTable
ALTER TABLE "BenefitPurchase" ADD COLUMN     "catalogVersionId" TEXT,
ADD COLUMN     "closedAt" TIMESTAMP(3),
ADD COLUMN     "entitlementId" UUID,
ADD COLUMN     "paidAt" TIMESTAMP(3),
ADD COLUMN     "renewalOf" UUID,
ADD COLUMN     "validUntil" TIMESTAMP(3),
ADD COLUMN     "workflowId" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "BenefitPurchase_workflowId_key" ON "BenefitPurchase"("workflowId");

