-- Rollout controller: rollout state (resumable after a restart), its append-only command/event history, and the
-- per-checkout record of canary-period decisions that matured labels are joined to.

CREATE TABLE "Rollout" (
    "id" UUID NOT NULL,
    "model" TEXT NOT NULL,
    "versionId" UUID NOT NULL,
    "subjectKind" TEXT NOT NULL,
    "regions" TEXT[] NOT NULL,
    "status" TEXT NOT NULL,
    "stepIndex" INTEGER NOT NULL,
    "stepStartedAt" TIMESTAMPTZ(3) NOT NULL,
    "state" JSONB NOT NULL,
    "rowVersion" INTEGER NOT NULL DEFAULT 0,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Rollout_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "Rollout_subjectKind_check" CHECK ("subjectKind" IN ('model', 'policy')),
    CONSTRAINT "Rollout_status_check" CHECK ("status" IN ('shadow', 'awaiting_approval', 'canary', 'paused', 'completed', 'rolled_back', 'aborted'))
);
CREATE INDEX "Rollout_versionId_idx" ON "Rollout"("versionId");
CREATE INDEX "Rollout_model_status_idx" ON "Rollout"("model", "status");

CREATE TABLE "RolloutEvent" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "seq" SERIAL NOT NULL,
    "rolloutId" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "details" JSONB NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "RolloutEvent_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "RolloutEvent_rolloutId_fkey" FOREIGN KEY ("rolloutId") REFERENCES "Rollout"("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "RolloutEvent_seq_key" ON "RolloutEvent"("seq");
CREATE INDEX "RolloutEvent_rolloutId_idx" ON "RolloutEvent"("rolloutId");
CREATE TRIGGER "RolloutEvent_append_only" BEFORE UPDATE OR DELETE ON "RolloutEvent" FOR EACH ROW EXECUTE FUNCTION registry_reject_mutation();

CREATE TABLE "RolloutDecision" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "rolloutId" UUID NOT NULL,
    "checkoutId" TEXT NOT NULL,
    "arm" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "amount" DOUBLE PRECISION,
    "label" TEXT,
    "labelledAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "RolloutDecision_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "RolloutDecision_rolloutId_fkey" FOREIGN KEY ("rolloutId") REFERENCES "Rollout"("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "RolloutDecision_arm_check" CHECK ("arm" IN ('production', 'canary')),
    CONSTRAINT "RolloutDecision_label_check" CHECK ("label" IS NULL OR "label" IN ('fraud', 'legitimate'))
);
CREATE UNIQUE INDEX "RolloutDecision_rolloutId_checkoutId_key" ON "RolloutDecision"("rolloutId", "checkoutId");
CREATE INDEX "RolloutDecision_rolloutId_idx" ON "RolloutDecision"("rolloutId");
CREATE INDEX "RolloutDecision_checkoutId_idx" ON "RolloutDecision"("checkoutId");
