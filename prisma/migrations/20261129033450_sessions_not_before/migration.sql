-- AlterTable
ALTER TABLE "User" ADD COLUMN     "sessionsNotBefore" TIMESTAMP(3);
