-- AlterTable
ALTER TABLE "Location" ADD COLUMN     "removedAt" TIMESTAMP(3);

