-- CreateEnum
CREATE TYPE "InvitePurpose" AS ENUM ('INVITE', 'PASSWORD_RESET');

-- DropIndex
DROP INDEX "Invite_email_idx";

-- AlterTable
ALTER TABLE "Invite" ADD COLUMN     "purpose" "InvitePurpose" NOT NULL DEFAULT 'INVITE';

-- CreateIndex
CREATE INDEX "Invite_email_purpose_idx" ON "Invite"("email", "purpose");
