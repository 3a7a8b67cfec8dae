-- AlterTable
ALTER TABLE "SupportIncident" ADD COLUMN     "benefitCode" TEXT NOT NULL,
ADD COLUMN     "startedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "LicenseKey" ADD COLUMN     "note" TEXT;

