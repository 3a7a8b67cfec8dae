-- DropIndex
DROP INDEX "ReviewTask_workflowId_kind_key";

-- CreateTable
CREATE TABLE "PartnerCompetency" (
    "id" UUID NOT NULL,
    "partnerId" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "workflowId" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "statusReason" TEXT,
    "assessment" JSONB,
    "catalogVersionId" TEXT NOT NULL,
    "reviewTaskId" UUID,
    "requestedBy" TEXT NOT NULL,
    "awardEntryId" UUID,
    "grantedAt" TIMESTAMP(3),
    "validUntil" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PartnerCompetency_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "PartnerCompetency_partnerId_status_idx" ON "PartnerCompetency"("partnerId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "PartnerCompetency_partnerId_code_key" ON "PartnerCompetency"("partnerId", "code");

-- CreateIndex
CREATE INDEX "ReviewTask_workflowId_idx" ON "ReviewTask"("workflowId");

-- AddForeignKey
ALTER TABLE "PartnerCompetency" ADD CONSTRAINT "PartnerCompetency_partnerId_fkey" FOREIGN KEY ("partnerId") REFERENCES "Partner"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

