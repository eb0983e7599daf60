-- CreateTable
CREATE TABLE "CandidateReward" (
    "trainingRunId" TEXT NOT NULL,
    "candidateId" TEXT NOT NULL,
    "reward" DOUBLE PRECISION NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CandidateReward_pkey" PRIMARY KEY ("trainingRunId","candidateId")
);

-- CreateTable
CREATE TABLE "RewardScoringRun" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "trainingRunId" TEXT NOT NULL,
    "status" "RunStatus" NOT NULL DEFAULT 'QUEUED',
    "total" INTEGER NOT NULL DEFAULT 0,
    "done" INTEGER NOT NULL DEFAULT 0,
    "leaseId" TEXT,
    "heartbeatAt" TIMESTAMP(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "cancelRequestedAt" TIMESTAMP(3),
    "error" TEXT,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "RewardScoringRun_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "RewardScoringRun_projectId_trainingRunId_createdAt_idx" ON "RewardScoringRun"("projectId", "trainingRunId", "createdAt");

-- CreateIndex
CREATE INDEX "RewardScoringRun_status_idx" ON "RewardScoringRun"("status");

-- AddForeignKey
ALTER TABLE "CandidateReward" ADD CONSTRAINT "CandidateReward_trainingRunId_fkey" FOREIGN KEY ("trainingRunId") REFERENCES "TrainingRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CandidateReward" ADD CONSTRAINT "CandidateReward_candidateId_fkey" FOREIGN KEY ("candidateId") REFERENCES "Candidate"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RewardScoringRun" ADD CONSTRAINT "RewardScoringRun_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RewardScoringRun" ADD CONSTRAINT "RewardScoringRun_trainingRunId_fkey" FOREIGN KEY ("trainingRunId") REFERENCES "TrainingRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;
