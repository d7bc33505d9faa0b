import { createHash } from 'node:crypto';
import type { Principal, Role } from './access.policy';
import type { Metrics } from './registry.schemas';
import type { RegistryService } from './registry.service';

/** Demo tokens (only seeded when the demo seed is enabled; never use in production). */
export const DEMO_TOKENS: readonly { principal: string; role: Role; token: string }[] = [
  { principal: 'rita', role: 'release-manager', token: 'demo-release-manager-rita' },
  { principal: 'rob', role: 'release-manager', token: 'demo-release-manager-rob' },
  { principal: 'mia', role: 'ml-engineer', token: 'demo-ml-engineer-mia' },
  { principal: 'victor', role: 'viewer', token: 'demo-viewer-victor' },
  { principal: 'scorer', role: 'scorer', token: 'demo-service-scorer' },
  { principal: 'controller', role: 'controller', token: 'demo-service-controller' },
  { principal: 'trainer', role: 'trainer', token: 'demo-service-trainer' },
];

/** A smooth ROC/PR pair for a classifier of a given strength (higher = better), deterministic for demos and tests. */
export function demoMetrics(strength: number, segments: Record<string, number>): Metrics {
  const roc = Array.from({ length: 21 }, (_, i) => {
    const x = i / 20;
    return { x, y: Math.min(1, 1 - (1 - x) ** strength), threshold: 1 - x };
  });
  const pr = Array.from({ length: 21 }, (_, i) => {
    const r = i / 20;
    return { x: r, y: Math.max(0.02, Math.min(1, 1 - r ** (strength * 0.9)) * (0.55 + 0.08 * strength)), threshold: 1 - r };
  });
  // Trapezoidal AUC so the headline number agrees with the curve.
  const auc = roc.slice(1).reduce((a, p, i) => a + ((p.y + (roc[i]?.y ?? 0)) / 2) * (p.x - (roc[i]?.x ?? 0)), 0);
  return {
    summary: { auc: +auc.toFixed(4), prAuc: +(0.4 + 0.06 * strength).toFixed(4), declineRate: +(0.031 - 0.002 * strength).toFixed(4), stepUpRate: 0.042, p99LatencyMs: 4.1 + strength * 0.3 },
    roc,
    pr,
    segments: Object.entries(segments).map(([name, recall]) => ({ name, values: { recall, precision: +(recall * 0.8).toFixed(3) } })),
  };
}

export function demoArtifact(version: number): Buffer {
  return Buffer.from(JSON.stringify({ kind: 'mlp', version, weights: Array.from({ length: 64 }, (_, i) => Math.sin(i * version)) }));
}

/**
 * Two versions of `checkout-fraud`: v1 live in production in every region (through the real request → approve →
 * promote path, so the audit trail is realistic) and v2 a stronger candidate, ready to compare and promote.
 */
export async function seedDemo(svc: RegistryService): Promise<{ model: string; created: boolean }> {
  await svc.seedTokens([...DEMO_TOKENS]);
  const mia: Principal = { principal: 'mia', role: 'ml-engineer', tokenId: 'seed' };
  const rita: Principal = { principal: 'rita', role: 'release-manager', tokenId: 'seed' };
  const rob: Principal = { principal: 'rob', role: 'release-manager', tokenId: 'seed' };
  const models = await svc.listModels(mia);
  if (models.some((m) => m.name === 'checkout-fraud')) return { model: 'checkout-fraud', created: false };
  await svc.createModel(mia, { name: 'checkout-fraud', description: 'Checkout fraud MLP scored on the critical path' });
  const specs = [
    { strength: 3.2, segments: { 'card/eu': 0.71, 'card/us': 0.68, 'wallet/eu': 0.62, 'bank-transfer/apac': 0.55, 'bnpl/us': 0.6 }, commit: '4f1c2ab', job: 'train-2026-11-01' },
    { strength: 4.1, segments: { 'card/eu': 0.76, 'card/us': 0.74, 'wallet/eu': 0.7, 'bank-transfer/apac': 0.58, 'bnpl/us': 0.69 }, commit: '9d03e7f', job: 'train-2026-11-20' },
  ];
  const versions = [];
  for (const [i, s] of specs.entries()) {
    const bytes = demoArtifact(i + 1);
    const v = await svc.registerVersion(mia, 'checkout-fraud', {
      artifactSha256: createHash('sha256').update(bytes).digest('hex'),
      artifactSizeBytes: bytes.length,
      metrics: demoMetrics(s.strength, s.segments),
      lineage: {
        trainingJobId: s.job,
        dataWindowStart: i === 0 ? '2026-08-01T00:00:00Z' : '2026-08-20T00:00:00Z',
        dataWindowEnd: i === 0 ? '2026-10-31T00:00:00Z' : '2026-11-18T00:00:00Z',
        featureSetName: 'checkout-core',
        featureSetVersion: i === 0 ? '3' : '4',
        codeCommit: s.commit,
      },
      policyVersion: 'policy-2026.11',
      description: i === 0 ? 'Baseline MLP 64-32' : 'Adds device-velocity features; retrained on 3 more weeks',
    });
    await svc.uploadArtifact(mia, v.id, bytes);
    versions.push(v);
  }
  const v1 = versions[0];
  if (v1) {
    for (const region of ['eu', 'us', 'apac']) {
      const req = await svc.requestPromotion(mia, v1.id, { region, targetStage: 'production', reason: 'Initial production model', evidence: { offlineAuc: v1.metrics } });
      await svc.approve(rita, req.id, { comment: 'Baseline approved' });
      await svc.executePromotion(rob, req.id, {});
    }
  }
  return { model: 'checkout-fraud', created: true };
}
