-- AlterTable
ALTER TABLE "ReviewTask" ADD COLUMN     "subjectId" UUID;

-- CreateTable
CREATE TABLE "Evidence" (
    "id" UUID NOT NULL,
    "partnerId" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "naturalKey" TEXT NOT NULL,
    "details" JSONB NOT NULL,
    "locationId" UUID,
    "status" TEXT NOT NULL,
    "points" INTEGER NOT NULL,
    "workflowId" TEXT NOT NULL,
    "catalogVersionId" TEXT NOT NULL,
    "recordedBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "decidedAt" TIMESTAMP(3),

    CONSTRAINT "Evidence_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PointEntry" (
    "id" UUID NOT NULL,
    "dedupeKey" TEXT NOT NULL,
    "partnerId" UUID NOT NULL,
    "sourceCode" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "points" INTEGER NOT NULL,
    "evidenceId" UUID,
    "locationId" UUID,
    "correctsEntryId" UUID,
    "catalogVersionId" TEXT NOT NULL,
    "reason" TEXT,
    "occurredAt" TIMESTAMP(3) NOT NULL,
    "recordedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PointEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SurveyInvitation" (
    "id" UUID NOT NULL,
    "partnerId" UUID NOT NULL,
    "customerEmail" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "workflowId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "scores" INTEGER[],
    "comment" TEXT,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "answeredAt" TIMESTAMP(3),

    CONSTRAINT "SurveyInvitation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "UpgradeRequest" (
    "id" UUID NOT NULL,
    "partnerId" UUID NOT NULL,
    "workflowId" TEXT NOT NULL,
    "fromLevel" TEXT NOT NULL,
    "toLevel" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "statusReason" TEXT,
    "missing" JSONB,
    "reviewTaskId" UUID,
    "catalogVersionId" TEXT NOT NULL,
    "requestedBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "UpgradeRequest_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Evidence_workflowId_key" ON "Evidence"("workflowId");

-- CreateIndex
CREATE INDEX "Evidence_partnerId_kind_idx" ON "Evidence"("partnerId", "kind");

-- CreateIndex
CREATE UNIQUE INDEX "Evidence_partnerId_naturalKey_key" ON "Evidence"("partnerId", "naturalKey");

-- CreateIndex
CREATE UNIQUE INDEX "PointEntry_dedupeKey_key" ON "PointEntry"("dedupeKey");

-- CreateIndex
CREATE INDEX "PointEntry_partnerId_occurredAt_idx" ON "PointEntry"("partnerId", "occurredAt");

-- CreateIndex
CREATE UNIQUE INDEX "SurveyInvitation_tokenHash_key" ON "SurveyInvitation"("tokenHash");

-- CreateIndex
CREATE UNIQUE INDEX "SurveyInvitation_workflowId_key" ON "SurveyInvitation"("workflowId");

-- CreateIndex
CREATE INDEX "SurveyInvitation_partnerId_status_idx" ON "SurveyInvitation"("partnerId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "UpgradeRequest_workflowId_key" ON "UpgradeRequest"("workflowId");

-- CreateIndex
CREATE INDEX "UpgradeRequest_partnerId_createdAt_idx" ON "UpgradeRequest"("partnerId", "createdAt");

-- AddForeignKey
ALTER TABLE "Evidence" ADD CONSTRAINT "Evidence_partnerId_fkey" FOREIGN KEY ("partnerId") REFERENCES "Partner"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PointEntry" ADD CONSTRAINT "PointEntry_partnerId_fkey" FOREIGN KEY ("partnerId") REFERENCES "Partner"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SurveyInvitation" ADD CONSTRAINT "SurveyInvitation_partnerId_fkey" FOREIGN KEY ("partnerId") REFERENCES "Partner"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UpgradeRequest" ADD CONSTRAINT "UpgradeRequest_partnerId_fkey" FOREIGN KEY ("partnerId") REFERENCES "Partner"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

