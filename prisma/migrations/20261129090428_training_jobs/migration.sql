-- AlterTable
ALTER TABLE "TrainingRun" ADD COLUMN     "attempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "leaseId" TEXT;
