-- AlterTable
ALTER TABLE "Partner" ADD COLUMN     "mutedNotices" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- AlterTable
ALTER TABLE "ApiKey" ADD COLUMN     "email" TEXT,
ADD COLUMN     "reviewKinds" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- AlterTable
ALTER TABLE "Notification" ADD COLUMN     "html" TEXT;

