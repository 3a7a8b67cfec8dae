-- AlterTable
ALTER TABLE "Partner" ADD COLUMN     "consolidatedIntoId" UUID;

-- AlterTable
ALTER TABLE "Location" ADD COLUMN     "consolidatedFromPartnerId" UUID;

-- CreateTable
CREATE TABLE "Consolidation" (
    "id" UUID NOT NULL,
    "survivorId" UUID NOT NULL,
    "absorbedId" UUID NOT NULL,
    "workflowId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "statusReason" TEXT,
    "requestedBy" TEXT NOT NULL,
    "consentedBy" TEXT,
    "consentedAt" TIMESTAMP(3),
    "reviewTaskId" UUID,
    "moved" JSONB,
    "catalogVersionId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "completedAt" TIMESTAMP(3),

    CONSTRAINT "Consolidation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Membership" (
    "partnerId" UUID NOT NULL,
    "workflowId" TEXT NOT NULL,
    "termNumber" INTEGER NOT NULL,
    "termStart" TIMESTAMP(3) NOT NULL,
    "termEnd" TIMESTAMP(3) NOT NULL,
    "level" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "statusReason" TEXT,
    "renewalLevel" TEXT,
    "renewalInvoiceId" UUID,
    "nextMilestone" TEXT,
    "nextMilestoneAt" TIMESTAMP(3),
    "catalogVersionId" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Membership_pkey" PRIMARY KEY ("partnerId")
);

-- CreateIndex
CREATE INDEX "Consolidation_absorbedId_createdAt_idx" ON "Consolidation"("absorbedId", "createdAt");

-- CreateIndex
CREATE INDEX "Consolidation_survivorId_createdAt_idx" ON "Consolidation"("survivorId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Membership_workflowId_key" ON "Membership"("workflowId");

-- CreateIndex
CREATE INDEX "Membership_status_termEnd_idx" ON "Membership"("status", "termEnd");

-- CreateIndex
CREATE INDEX "Membership_termEnd_idx" ON "Membership"("termEnd");

