-- AlterTable
ALTER TABLE "PartnerDesignation" ADD COLUMN     "communityMemberId" TEXT NOT NULL,
ADD COLUMN     "requestId" TEXT NOT NULL,
ADD COLUMN     "runId" TEXT NOT NULL;

