import { RegistryClient, RegistryRequestError } from '@risk/registry-client';
import type { PromotionStatus, RegistryStage, RolloutRegistryPort } from '@risk/rollout';

/** The rollout's registry port over the registry HTTP API, as the `controller` service principal. */
export class RegistryRolloutAdapter implements RolloutRegistryPort {
  constructor(private readonly client: RegistryClient) {}

  async stageOf(versionId: string, region: string): Promise<RegistryStage | null> {
    const v = await this.client.getVersion(versionId);
    return v.stages[region]?.stage ?? null;
  }

  async transition(versionId: string, region: string, toStage: 'shadow' | 'candidate', reason: string, evidence: Record<string, unknown>): Promise<void> {
    await this.client.transition(versionId, { region, toStage, reason, evidence });
  }

  async requestPromotion(versionId: string, region: string, target: 'canary' | 'production', reason: string, evidence: Record<string, unknown>): Promise<string> {
    try {
      return (await this.client.requestPromotion(versionId, { region, targetStage: target, reason, evidence })).id;
    } catch (err) {
      if (!(err instanceof RegistryRequestError && err.code === 'REQUEST_ALREADY_OPEN')) throw err;
      // A release manager (or an earlier tick that crashed before saving) already opened it: reuse it.
      const open = (await this.client.listPromotionRequests()).find((r) => r.versionId === versionId && r.region === region && r.targetStage === target && (r.status === 'pending' || r.status === 'approved'));
      if (!open) throw err;
      return open.id;
    }
  }

  async promotionStatus(model: string, requestId: string): Promise<PromotionStatus | null> {
    const r = (await this.client.listPromotionRequests({ model })).find((x) => x.id === requestId);
    return r?.status ?? null;
  }

  async executePromotion(requestId: string, reason: string, evidence: Record<string, unknown>): Promise<void> {
    await this.client.executePromotion(requestId, { reason, evidence });
  }

  async rollbackProduction(model: string, region: string, reason: string, evidence: Record<string, unknown>): Promise<void> {
    await this.client.rollback(model, region, { reason, evidence });
  }

  async appendStep(versionId: string, step: { region: string; step: string; trafficPercent?: number; status: string; details: Record<string, unknown> }): Promise<void> {
    await this.client.appendRolloutStep(versionId, step);
  }

  async attachEvidence(versionId: string, kind: string, data: Record<string, unknown>, region?: string): Promise<void> {
    await this.client.attachEvidence(versionId, { kind, data, ...(region ? { region } : {}) });
  }
}
