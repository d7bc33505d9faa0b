-- Served-feature log (issue 3): every vector the scorer served, with what identifies it for training
-- (request id, checkout id, entity tokens, feature-set version, time, region), and its label once it matures.
-- Appended in batches by the scorer's bounded async buffer (@risk/online-store ServedFeatureLog); labels are
-- joined later by the feature service (consumer group served-feature-labels). Unqualified names on purpose.

CREATE TABLE "ServedFeatureVector" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "requestId" TEXT NOT NULL,
    "checkoutId" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "featureSet" TEXT NOT NULL,
    "featureSetVersion" INTEGER NOT NULL,
    "entityTokens" JSONB NOT NULL,
    "featureNames" TEXT[] NOT NULL,
    "values" DOUBLE PRECISION[] NOT NULL,
    "missing" BOOLEAN[] NOT NULL,
    "servedAt" TIMESTAMPTZ(3) NOT NULL,
    "label" TEXT,
    "labelSource" TEXT,
    "labelledAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ServedFeatureVector_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "ServedFeatureVector_label_check" CHECK ("label" IS NULL OR "label" IN ('fraud', 'legitimate')),
    CONSTRAINT "ServedFeatureVector_values_check" CHECK (cardinality("values") = cardinality("featureNames") AND cardinality("missing") = cardinality("featureNames"))
);
CREATE INDEX "ServedFeatureVector_checkoutId_idx" ON "ServedFeatureVector"("checkoutId");
CREATE INDEX "ServedFeatureVector_servedAt_idx" ON "ServedFeatureVector"("servedAt");
CREATE INDEX "ServedFeatureVector_featureSet_featureSetVersion_servedAt_idx" ON "ServedFeatureVector"("featureSet", "featureSetVersion", "servedAt");
