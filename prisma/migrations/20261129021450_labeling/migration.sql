-- CreateEnum
CREATE TYPE "ItemNoteKind" AS ENUM ('BROKEN_PROMPT', 'PERSONAL_DATA', 'NEEDS_EXPERT', 'OTHER');

-- AlterTable
ALTER TABLE "Demonstration" ADD COLUMN     "clientKey" TEXT,
ADD COLUMN     "pasteStats" JSONB NOT NULL DEFAULT '{}';

-- AlterTable
ALTER TABLE "Ranking" ADD COLUMN     "clientKey" TEXT;

-- CreateTable
CREATE TABLE "ItemNote" (
    "id" TEXT NOT NULL,
    "itemId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "kind" "ItemNoteKind" NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ItemNote_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ItemNote_itemId_idx" ON "ItemNote"("itemId");

-- CreateIndex
CREATE UNIQUE INDEX "Demonstration_clientKey_key" ON "Demonstration"("clientKey");

-- CreateIndex
CREATE UNIQUE INDEX "Ranking_clientKey_key" ON "Ranking"("clientKey");

-- AddForeignKey
ALTER TABLE "ItemNote" ADD CONSTRAINT "ItemNote_itemId_fkey" FOREIGN KEY ("itemId") REFERENCES "Item"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ItemNote" ADD CONSTRAINT "ItemNote_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
