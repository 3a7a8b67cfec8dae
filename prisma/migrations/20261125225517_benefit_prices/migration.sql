-- AlterTable
ALTER TABLE "Benefit" ADD COLUMN     "price" JSONB;

