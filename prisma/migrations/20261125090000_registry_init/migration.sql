-- Model registry: models, immutable versions, per-region stages, four-eyes requests, freezes, aliases,
-- append-only audit/transition/rollout logs, API tokens (hashes only), outbox + webhook deliveries.
-- Unqualified names on purpose: the migration runner sets search_path (public or a per-test schema).

CREATE TABLE "Model" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Model_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "Model_name_check" CHECK ("name" ~ '^[a-z0-9][a-z0-9._-]{0,99}$')
);
CREATE UNIQUE INDEX "Model_name_key" ON "Model"("name");

CREATE TABLE "ModelVersion" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "modelId" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "artifactSha256" TEXT NOT NULL,
    "artifactSizeBytes" INTEGER NOT NULL,
    "artifactStatus" TEXT NOT NULL DEFAULT 'pending',
    "artifactUri" TEXT,
    "metrics" JSONB NOT NULL,
    "trainingJobId" TEXT NOT NULL,
    "dataWindowStart" TIMESTAMPTZ(3) NOT NULL,
    "dataWindowEnd" TIMESTAMPTZ(3) NOT NULL,
    "featureSetName" TEXT NOT NULL,
    "featureSetVersion" TEXT NOT NULL,
    "codeCommit" TEXT NOT NULL,
    "policyVersion" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ModelVersion_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "ModelVersion_sha_check" CHECK ("artifactSha256" ~ '^[0-9a-f]{64}$'),
    CONSTRAINT "ModelVersion_status_check" CHECK ("artifactStatus" IN ('pending', 'verified')),
    CONSTRAINT "ModelVersion_window_check" CHECK ("dataWindowStart" <= "dataWindowEnd")
);
CREATE UNIQUE INDEX "ModelVersion_modelId_version_key" ON "ModelVersion"("modelId", "version");
CREATE INDEX "ModelVersion_modelId_idx" ON "ModelVersion"("modelId");
ALTER TABLE "ModelVersion" ADD CONSTRAINT "ModelVersion_modelId_fkey" FOREIGN KEY ("modelId") REFERENCES "Model"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

CREATE TABLE "VersionStage" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "modelId" UUID NOT NULL,
    "versionId" UUID NOT NULL,
    "region" TEXT NOT NULL,
    "stage" TEXT NOT NULL,
    "rowVersion" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "VersionStage_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "VersionStage_stage_check" CHECK ("stage" IN ('candidate', 'shadow', 'canary', 'production', 'archived'))
);
CREATE UNIQUE INDEX "VersionStage_versionId_region_key" ON "VersionStage"("versionId", "region");
CREATE INDEX "VersionStage_modelId_idx" ON "VersionStage"("modelId");
CREATE INDEX "VersionStage_versionId_idx" ON "VersionStage"("versionId");
-- The invariant behind "exactly one wins": one live version per (model, region, live stage).
CREATE UNIQUE INDEX "VersionStage_one_live_per_region" ON "VersionStage"("modelId", "region", "stage")
    WHERE "stage" IN ('shadow', 'canary', 'production');
ALTER TABLE "VersionStage" ADD CONSTRAINT "VersionStage_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "ModelVersion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "VersionStage" ADD CONSTRAINT "VersionStage_modelId_fkey" FOREIGN KEY ("modelId") REFERENCES "Model"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

CREATE TABLE "StageTransition" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "seq" SERIAL NOT NULL,
    "modelId" UUID NOT NULL,
    "versionId" UUID NOT NULL,
    "region" TEXT NOT NULL,
    "fromStage" TEXT NOT NULL,
    "toStage" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "actorRole" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "evidence" JSONB NOT NULL,
    "requestId" UUID,
    "freezeOverrideReason" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "StageTransition_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "StageTransition_seq_key" ON "StageTransition"("seq");
CREATE INDEX "StageTransition_modelId_idx" ON "StageTransition"("modelId");
CREATE INDEX "StageTransition_versionId_idx" ON "StageTransition"("versionId");
CREATE INDEX "StageTransition_requestId_idx" ON "StageTransition"("requestId");
CREATE INDEX "StageTransition_region_createdAt_idx" ON "StageTransition"("region", "createdAt");

CREATE TABLE "PromotionRequest" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "modelId" UUID NOT NULL,
    "versionId" UUID NOT NULL,
    "region" TEXT NOT NULL,
    "targetStage" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "requestedBy" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "evidence" JSONB NOT NULL,
    "baseVersionId" UUID,
    "approvedBy" TEXT,
    "approvedAt" TIMESTAMPTZ(3),
    "approvalComment" TEXT,
    "executedBy" TEXT,
    "executedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "PromotionRequest_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "PromotionRequest_target_check" CHECK ("targetStage" IN ('canary', 'production')),
    CONSTRAINT "PromotionRequest_status_check" CHECK ("status" IN ('pending', 'approved', 'rejected', 'executed', 'cancelled')),
    -- Four eyes, enforced by the database too.
    CONSTRAINT "PromotionRequest_four_eyes_check" CHECK ("approvedBy" IS NULL OR "approvedBy" <> "requestedBy")
);
CREATE INDEX "PromotionRequest_modelId_idx" ON "PromotionRequest"("modelId");
CREATE INDEX "PromotionRequest_versionId_idx" ON "PromotionRequest"("versionId");
CREATE INDEX "PromotionRequest_baseVersionId_idx" ON "PromotionRequest"("baseVersionId");
ALTER TABLE "PromotionRequest" ADD CONSTRAINT "PromotionRequest_modelId_fkey" FOREIGN KEY ("modelId") REFERENCES "Model"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "PromotionRequest" ADD CONSTRAINT "PromotionRequest_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "ModelVersion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "PromotionRequest" ADD CONSTRAINT "PromotionRequest_baseVersionId_fkey" FOREIGN KEY ("baseVersionId") REFERENCES "ModelVersion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

CREATE TABLE "FreezeWindow" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "startsAt" TIMESTAMPTZ(3) NOT NULL,
    "endsAt" TIMESTAMPTZ(3) NOT NULL,
    "regions" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "reason" TEXT NOT NULL,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "FreezeWindow_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "FreezeWindow_range_check" CHECK ("startsAt" < "endsAt")
);
CREATE INDEX "FreezeWindow_startsAt_endsAt_idx" ON "FreezeWindow"("startsAt", "endsAt");

CREATE TABLE "ModelAlias" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "modelId" UUID NOT NULL,
    "versionId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "updatedBy" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ModelAlias_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "ModelAlias_modelId_name_key" ON "ModelAlias"("modelId", "name");
CREATE INDEX "ModelAlias_modelId_idx" ON "ModelAlias"("modelId");
CREATE INDEX "ModelAlias_versionId_idx" ON "ModelAlias"("versionId");
ALTER TABLE "ModelAlias" ADD CONSTRAINT "ModelAlias_modelId_fkey" FOREIGN KEY ("modelId") REFERENCES "Model"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "ModelAlias" ADD CONSTRAINT "ModelAlias_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "ModelVersion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

CREATE TABLE "AuditLog" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "seq" SERIAL NOT NULL,
    "actor" TEXT NOT NULL,
    "actorRole" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "modelId" UUID,
    "versionId" UUID,
    "region" TEXT,
    "details" JSONB NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "AuditLog_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "AuditLog_seq_key" ON "AuditLog"("seq");
CREATE INDEX "AuditLog_modelId_idx" ON "AuditLog"("modelId");
CREATE INDEX "AuditLog_versionId_idx" ON "AuditLog"("versionId");
CREATE INDEX "AuditLog_region_createdAt_idx" ON "AuditLog"("region", "createdAt");

CREATE TABLE "ApiToken" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "principal" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "revokedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ApiToken_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "ApiToken_role_check" CHECK ("role" IN ('ml-engineer', 'release-manager', 'viewer', 'scorer', 'controller', 'trainer')),
    CONSTRAINT "ApiToken_hash_check" CHECK ("tokenHash" ~ '^[0-9a-f]{64}$')
);
CREATE UNIQUE INDEX "ApiToken_tokenHash_key" ON "ApiToken"("tokenHash");

CREATE TABLE "RolloutStep" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "seq" SERIAL NOT NULL,
    "modelId" UUID NOT NULL,
    "versionId" UUID NOT NULL,
    "region" TEXT NOT NULL,
    "step" TEXT NOT NULL,
    "trafficPercent" DOUBLE PRECISION,
    "status" TEXT NOT NULL,
    "details" JSONB NOT NULL,
    "actor" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "RolloutStep_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "RolloutStep_seq_key" ON "RolloutStep"("seq");
CREATE INDEX "RolloutStep_modelId_idx" ON "RolloutStep"("modelId");
CREATE INDEX "RolloutStep_versionId_idx" ON "RolloutStep"("versionId");

CREATE TABLE "OutboxEvent" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "seq" SERIAL NOT NULL,
    "type" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "eventLogPublishedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "OutboxEvent_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "OutboxEvent_seq_key" ON "OutboxEvent"("seq");
CREATE INDEX "OutboxEvent_unpublished_idx" ON "OutboxEvent"("seq") WHERE "eventLogPublishedAt" IS NULL;

CREATE TABLE "WebhookSubscription" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "url" TEXT NOT NULL,
    "secret" TEXT NOT NULL,
    "eventTypes" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "WebhookSubscription_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "WebhookDelivery" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "eventId" UUID NOT NULL,
    "subscriptionId" UUID NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deliveredAt" TIMESTAMPTZ(3),
    "lastStatus" INTEGER,
    "lastError" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "WebhookDelivery_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "WebhookDelivery_eventId_subscriptionId_key" ON "WebhookDelivery"("eventId", "subscriptionId");
CREATE INDEX "WebhookDelivery_eventId_idx" ON "WebhookDelivery"("eventId");
CREATE INDEX "WebhookDelivery_subscriptionId_idx" ON "WebhookDelivery"("subscriptionId");
CREATE INDEX "WebhookDelivery_deliveredAt_nextAttemptAt_idx" ON "WebhookDelivery"("deliveredAt", "nextAttemptAt");
ALTER TABLE "WebhookDelivery" ADD CONSTRAINT "WebhookDelivery_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "OutboxEvent"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "WebhookDelivery" ADD CONSTRAINT "WebhookDelivery_subscriptionId_fkey" FOREIGN KEY ("subscriptionId") REFERENCES "WebhookSubscription"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Append-only tables: the owner role is often a superuser here, so REVOKE alone would not hold; a trigger does.
CREATE FUNCTION registry_reject_mutation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'table % is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER "AuditLog_append_only" BEFORE UPDATE OR DELETE ON "AuditLog" FOR EACH ROW EXECUTE FUNCTION registry_reject_mutation();
CREATE TRIGGER "AuditLog_no_truncate" BEFORE TRUNCATE ON "AuditLog" FOR EACH STATEMENT EXECUTE FUNCTION registry_reject_mutation();
CREATE TRIGGER "StageTransition_append_only" BEFORE UPDATE OR DELETE ON "StageTransition" FOR EACH ROW EXECUTE FUNCTION registry_reject_mutation();
CREATE TRIGGER "StageTransition_no_truncate" BEFORE TRUNCATE ON "StageTransition" FOR EACH STATEMENT EXECUTE FUNCTION registry_reject_mutation();
CREATE TRIGGER "RolloutStep_append_only" BEFORE UPDATE OR DELETE ON "RolloutStep" FOR EACH ROW EXECUTE FUNCTION registry_reject_mutation();

-- Versions are immutable: only the artifact status/uri and updatedAt may change.
CREATE FUNCTION registry_version_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'model versions are immutable' USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF (NEW."modelId", NEW."version", NEW."artifactSha256", NEW."artifactSizeBytes", NEW."metrics", NEW."trainingJobId",
        NEW."dataWindowStart", NEW."dataWindowEnd", NEW."featureSetName", NEW."featureSetVersion", NEW."codeCommit",
        NEW."policyVersion", NEW."createdBy", NEW."createdAt")
       IS DISTINCT FROM
       (OLD."modelId", OLD."version", OLD."artifactSha256", OLD."artifactSizeBytes", OLD."metrics", OLD."trainingJobId",
        OLD."dataWindowStart", OLD."dataWindowEnd", OLD."featureSetName", OLD."featureSetVersion", OLD."codeCommit",
        OLD."policyVersion", OLD."createdBy", OLD."createdAt") THEN
        RAISE EXCEPTION 'model versions are immutable' USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER "ModelVersion_immutable" BEFORE UPDATE OR DELETE ON "ModelVersion" FOR EACH ROW EXECUTE FUNCTION registry_version_immutable();
