import { randomUUID } from 'node:crypto';
import { hashToken, sha256Hex, type ArtifactStore, type RegistryPrisma, type RegistryTx, Prisma } from '@risk/registry-data';
import { ConflictError, DomainError, ForbiddenError, NotFoundError, UnauthorizedError, ValidationError } from '@risk/util-errors';
import type { Logger } from '@risk/util-logging';
import { authorize, can, isRole, permissionsOf, type Permission, type Principal, type Role } from './access.policy';
import {
  aliasSchema,
  approvalSchema,
  auditQuerySchema,
  createModelSchema,
  eventsQuerySchema,
  evidenceSchema,
  executeSchema,
  freezeSchema,
  listRequestsQuerySchema,
  liveAtQuerySchema,
  parseInput,
  promotionRequestSchema,
  registerVersionSchema,
  rollbackSchema,
  rolloutStepSchema,
  transitionSchema,
  webhookSchema,
} from './registry.schemas';
import { APPROVAL_REQUIRED, assertTransition, isStage, LIVE_STAGES, type LiveStage, type Stage, type TransitionAction } from './stage-machine';

export const STAGE_CHANGED_EVENT = 'registry.stage-changed';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const ROLLOUT_STEP_EVENT = 'registry.rollout-step';

export interface RegistryServiceOptions {
  regions: readonly string[];
  maxArtifactBytes: number;
  now?: () => Date;
}

type Json = Prisma.InputJsonValue;

interface StageChange {
  modelId: string;
  modelName: string;
  versionId: string;
  version: number;
  artifactSha256: string;
  region: string;
  from: Stage;
  to: Stage;
  action: TransitionAction;
  actor: Principal;
  reason: string;
  evidence: Record<string, unknown>;
  requestId?: string;
  freezeOverrideReason?: string;
}

/** Every registry use case. Each mutation: authorise, validate, change state, audit and enqueue events in ONE transaction. */
export class RegistryService {
  constructor(
    private readonly db: RegistryPrisma,
    private readonly artifacts: ArtifactStore,
    private readonly logger: Logger,
    private readonly opts: RegistryServiceOptions,
  ) {}

  private now(): Date {
    return this.opts.now?.() ?? new Date();
  }

  // ───────────── identity ─────────────

  async authenticate(authorization: string | undefined): Promise<Principal> {
    if (!authorization) throw new UnauthorizedError('MISSING_TOKEN', 'Send Authorization: Bearer <api token>');
    const m = /^Bearer\s+(\S{8,512})$/i.exec(authorization.trim());
    if (!m?.[1]) throw new UnauthorizedError('MALFORMED_TOKEN', 'Authorization header must be "Bearer <api token>"');
    const row = await this.db.apiToken.findUnique({ where: { tokenHash: hashToken(m[1]) } });
    if (!row || row.revokedAt || !isRole(row.role)) throw new UnauthorizedError('INVALID_TOKEN', 'The API token is unknown or revoked');
    return { principal: row.principal, role: row.role, tokenId: row.id };
  }

  me(actor: Principal): { principal: string; role: Role; permissions: Permission[]; regions: readonly string[] } {
    return { principal: actor.principal, role: actor.role, permissions: permissionsOf(actor.role), regions: this.opts.regions };
  }

  /** Upserts tokens (by hash) for people and services; used by the seed script and config-provided tokens. */
  async seedTokens(tokens: { principal: string; role: Role; token: string; name?: string }[]): Promise<void> {
    for (const t of tokens) {
      const tokenHash = hashToken(t.token);
      await this.db.apiToken.upsert({
        where: { tokenHash },
        create: { tokenHash, principal: t.principal, role: t.role, name: t.name ?? `${t.principal}-${t.role}` },
        update: { principal: t.principal, role: t.role, revokedAt: null },
      });
    }
  }

  /** Authorises; a denied mutation is itself audited. */
  private async guard(actor: Principal, permission: Permission, target: { modelId?: string; versionId?: string; region?: string } = {}): Promise<void> {
    try {
      authorize(actor, permission);
    } catch (err) {
      if (permission !== 'read') {
        await this.db.auditLog.create({
          data: { actor: actor.principal, actorRole: actor.role, action: 'access.denied', modelId: target.modelId, versionId: target.versionId, region: target.region, details: { permission } },
        });
      }
      throw err;
    }
  }

  private assertRegion(region: string): void {
    if (!this.opts.regions.includes(region)) {
      throw new ValidationError(`Unknown region ${region}`, [{ path: 'region', message: `one of ${this.opts.regions.join(', ')}` }], 'UNKNOWN_REGION');
    }
  }

  private audit(tx: RegistryTx, actor: Principal, action: string, t: { modelId?: string; versionId?: string; region?: string }, details: Record<string, unknown>) {
    return tx.auditLog.create({ data: { actor: actor.principal, actorRole: actor.role, action, modelId: t.modelId, versionId: t.versionId, region: t.region, details: details as Json } });
  }

  private async enqueueEvent(tx: RegistryTx, type: string, payload: Record<string, unknown>): Promise<void> {
    const id = randomUUID();
    await tx.outboxEvent.create({ data: { id, type, payload: { id, type, ...payload } as Json } });
    const subs = await tx.webhookSubscription.findMany({ where: { active: true } });
    const targets = subs.filter((s) => s.eventTypes.length === 0 || s.eventTypes.includes(type));
    if (targets.length) await tx.webhookDelivery.createMany({ data: targets.map((s) => ({ eventId: id, subscriptionId: s.id })) });
  }

  private tx<T>(fn: (tx: RegistryTx) => Promise<T>): Promise<T> {
    return this.db.$transaction(fn, { maxWait: 10_000, timeout: 20_000 }).catch((err: unknown) => {
      if (err instanceof DomainError) throw err;
      const code = (err as { code?: string }).code;
      const msg = (err as Error).message ?? '';
      if (code === 'P2002' || /unique constraint/i.test(msg)) throw new ConflictError('CONCURRENT_UPDATE', 'Another change won the race; reload and retry');
      throw err;
    });
  }

  private async lockModel(tx: RegistryTx, modelId: string): Promise<void> {
    // Serialises every stage change of one model: concurrent promotions queue here, and the loser then sees
    // the winner's state (stale request / illegal transition) instead of overwriting it.
    await tx.$queryRaw`SELECT id FROM "Model" WHERE id = ${modelId}::uuid FOR UPDATE`;
  }

  private async changeStage(tx: RegistryTx, c: StageChange): Promise<void> {
    assertTransition(c.from, c.to, c.action);
    const updated = await tx.versionStage.updateMany({
      where: { versionId: c.versionId, region: c.region, stage: c.from },
      data: { stage: c.to, rowVersion: { increment: 1 } },
    });
    if (updated.count !== 1) throw new ConflictError('CONCURRENT_UPDATE', 'The version changed stage concurrently; reload and retry');
    await tx.stageTransition.create({
      data: {
        modelId: c.modelId,
        versionId: c.versionId,
        region: c.region,
        fromStage: c.from,
        toStage: c.to,
        action: c.action,
        actor: c.actor.principal,
        actorRole: c.actor.role,
        reason: c.reason,
        evidence: c.evidence as Json,
        requestId: c.requestId,
        freezeOverrideReason: c.freezeOverrideReason,
      },
    });
    await this.audit(tx, c.actor, 'stage.changed', c, { version: c.version, from: c.from, to: c.to, via: c.action, reason: c.reason, requestId: c.requestId, freezeOverrideReason: c.freezeOverrideReason });
    this.logger.info({ model: c.modelName, version: c.version, region: c.region, from: c.from, to: c.to, action: c.action, actor: c.actor.principal }, 'stage changed');
    await this.enqueueEvent(tx, STAGE_CHANGED_EVENT, {
      at: this.now().toISOString(),
      modelId: c.modelId,
      modelName: c.modelName,
      versionId: c.versionId,
      version: c.version,
      artifactSha256: c.artifactSha256,
      region: c.region,
      fromStage: c.from,
      toStage: c.to,
      action: c.action,
      actor: c.actor.principal,
      reason: c.reason,
    });
  }

  /** Moves whichever version holds a live stage in the region out of it, so `versionId` can take it. */
  private async displaceHolder(tx: RegistryTx, actor: Principal, model: { id: string; name: string }, region: string, stage: LiveStage, reason: string, requestId?: string): Promise<string | null> {
    const holder = await tx.versionStage.findFirst({ where: { modelId: model.id, region, stage }, include: { version: true } });
    if (!holder) return null;
    await this.changeStage(tx, {
      modelId: model.id,
      modelName: model.name,
      versionId: holder.versionId,
      version: holder.version.version,
      artifactSha256: holder.version.artifactSha256,
      region,
      from: stage,
      to: stage === 'production' ? 'archived' : 'candidate',
      action: 'displace',
      actor,
      reason: `displaced: ${reason}`,
      evidence: {},
      requestId,
    });
    return holder.versionId;
  }

  // ───────────── models & versions ─────────────

  async listModels(actor: Principal) {
    await this.guard(actor, 'read');
    const models = await this.db.model.findMany({ orderBy: { name: 'asc' }, include: { _count: { select: { versions: true } } } });
    const stages = await this.db.versionStage.findMany({ where: { stage: { in: [...LIVE_STAGES] } }, include: { version: { select: { version: true } } } });
    return models.map((m) => ({
      id: m.id,
      name: m.name,
      description: m.description,
      versionCount: m._count.versions,
      createdAt: m.createdAt,
      live: stages.filter((s) => s.modelId === m.id).map((s) => ({ region: s.region, stage: s.stage, versionId: s.versionId, version: s.version.version })),
    }));
  }

  async createModel(actor: Principal, body: unknown) {
    await this.guard(actor, 'model.register');
    const input = parseInput(createModelSchema, body);
    return this.tx(async (tx) => {
      if (await tx.model.findUnique({ where: { name: input.name } })) throw new ConflictError('MODEL_EXISTS', `Model ${input.name} already exists`);
      const m = await tx.model.create({ data: { name: input.name, description: input.description, createdBy: actor.principal } });
      await this.audit(tx, actor, 'model.created', { modelId: m.id }, { name: m.name });
      return m;
    });
  }

  private async modelByName(name: string) {
    const m = await this.db.model.findUnique({ where: { name } });
    if (!m) throw new NotFoundError('MODEL_NOT_FOUND', `No model named ${name}`);
    return m;
  }

  private async versionById(id: string) {
    if (!UUID.test(id)) throw new NotFoundError('VERSION_NOT_FOUND', `No version ${id}`);
    const v = await this.db.modelVersion.findUnique({ where: { id }, include: { model: true, stages: true } });
    if (!v) throw new NotFoundError('VERSION_NOT_FOUND', `No version ${id}`);
    return v;
  }

  async getModel(actor: Principal, name: string) {
    await this.guard(actor, 'read');
    const m = await this.modelByName(name);
    const [versions, aliases, requests, rollout] = await Promise.all([
      this.db.modelVersion.findMany({ where: { modelId: m.id }, orderBy: { version: 'desc' }, include: { stages: true } }),
      this.db.modelAlias.findMany({ where: { modelId: m.id }, orderBy: { name: 'asc' } }),
      this.db.promotionRequest.findMany({ where: { modelId: m.id }, orderBy: { createdAt: 'desc' }, take: 50 }),
      this.db.rolloutStep.findMany({ where: { modelId: m.id }, orderBy: { seq: 'desc' }, take: 100 }),
    ]);
    return {
      ...m,
      regions: this.opts.regions,
      versions: versions.map((v) => this.presentVersion(v)),
      aliases: aliases.map((a) => ({ name: a.name, versionId: a.versionId, updatedBy: a.updatedBy, updatedAt: a.updatedAt })),
      requests,
      rollout,
      deployments: this.deploymentsFrom(versions),
    };
  }

  private presentVersion(v: Prisma.ModelVersionGetPayload<{ include: { stages: true } }>) {
    return {
      id: v.id,
      modelId: v.modelId,
      version: v.version,
      description: v.description,
      artifact: { sha256: v.artifactSha256, sizeBytes: v.artifactSizeBytes, status: v.artifactStatus, uri: v.artifactUri },
      metrics: v.metrics,
      lineage: {
        trainingJobId: v.trainingJobId,
        dataWindowStart: v.dataWindowStart,
        dataWindowEnd: v.dataWindowEnd,
        featureSetName: v.featureSetName,
        featureSetVersion: v.featureSetVersion,
        codeCommit: v.codeCommit,
      },
      policyVersion: v.policyVersion,
      createdBy: v.createdBy,
      createdAt: v.createdAt,
      stages: Object.fromEntries(v.stages.map((s) => [s.region, { stage: s.stage, rowVersion: s.rowVersion, since: s.updatedAt }])),
    };
  }

  private deploymentsFrom(versions: { id: string; version: number; artifactSha256: string; policyVersion: string; stages: { region: string; stage: string; updatedAt: Date }[] }[]) {
    return Object.fromEntries(
      this.opts.regions.map((region) => {
        const slot = (stage: LiveStage) => {
          const v = versions.find((x) => x.stages.some((s) => s.region === region && s.stage === stage));
          return v ? { versionId: v.id, version: v.version, artifactSha256: v.artifactSha256, policyVersion: v.policyVersion, since: v.stages.find((s) => s.region === region)?.updatedAt } : null;
        };
        return [region, { production: slot('production'), canary: slot('canary'), shadow: slot('shadow') }];
      }),
    );
  }

  async registerVersion(actor: Principal, modelName: string, body: unknown) {
    const m = await this.modelByName(modelName);
    await this.guard(actor, 'version.register', { modelId: m.id });
    const input = parseInput(registerVersionSchema, body);
    if (input.artifactSizeBytes > this.opts.maxArtifactBytes) throw new ValidationError(`Artifact larger than ${this.opts.maxArtifactBytes} bytes`, [], 'ARTIFACT_TOO_LARGE');
    if (Date.parse(input.lineage.dataWindowStart) > Date.parse(input.lineage.dataWindowEnd)) {
      throw new ValidationError('Request is invalid', [{ path: 'lineage.dataWindowEnd', message: 'must not be before dataWindowStart' }]);
    }
    return this.tx(async (tx) => {
      await this.lockModel(tx, m.id);
      const last = await tx.modelVersion.findFirst({ where: { modelId: m.id }, orderBy: { version: 'desc' }, select: { version: true } });
      const alreadyStored = await this.artifacts.has(input.artifactSha256);
      const v = await tx.modelVersion.create({
        data: {
          modelId: m.id,
          version: (last?.version ?? 0) + 1,
          artifactSha256: input.artifactSha256,
          artifactSizeBytes: input.artifactSizeBytes,
          // Content-addressed: identical bytes uploaded before are already verified under the same key.
          artifactStatus: alreadyStored ? 'verified' : 'pending',
          metrics: input.metrics as Json,
          trainingJobId: input.lineage.trainingJobId,
          dataWindowStart: new Date(input.lineage.dataWindowStart),
          dataWindowEnd: new Date(input.lineage.dataWindowEnd),
          featureSetName: input.lineage.featureSetName,
          featureSetVersion: input.lineage.featureSetVersion,
          codeCommit: input.lineage.codeCommit,
          policyVersion: input.policyVersion,
          description: input.description,
          createdBy: actor.principal,
        },
      });
      await tx.versionStage.createMany({ data: this.opts.regions.map((region) => ({ modelId: m.id, versionId: v.id, region, stage: 'candidate' })) });
      await this.audit(tx, actor, 'version.registered', { modelId: m.id, versionId: v.id }, { version: v.version, artifactSha256: v.artifactSha256, trainingJobId: v.trainingJobId });
      return this.presentVersion(await tx.modelVersion.findUniqueOrThrow({ where: { id: v.id }, include: { stages: true } }));
    });
  }

  async getVersion(actor: Principal, id: string) {
    await this.guard(actor, 'read');
    const v = await this.versionById(id);
    return { ...this.presentVersion(v), modelName: v.model.name };
  }

  async uploadArtifact(actor: Principal, versionId: string, data: Buffer | undefined) {
    const v = await this.versionById(versionId);
    await this.guard(actor, 'artifact.upload', { modelId: v.modelId, versionId });
    if (!Buffer.isBuffer(data) || data.length === 0) throw new ValidationError('Send the artifact bytes as application/octet-stream', [], 'ARTIFACT_EMPTY');
    const actual = sha256Hex(data);
    if (actual !== v.artifactSha256 || data.length !== v.artifactSizeBytes) {
      await this.db.auditLog.create({
        data: { actor: actor.principal, actorRole: actor.role, action: 'artifact.rejected', modelId: v.modelId, versionId, details: { expected: v.artifactSha256, actual, sizeBytes: data.length } },
      });
      throw new DomainError('ARTIFACT_CHECKSUM_MISMATCH', `Uploaded bytes hash to ${actual} (${data.length} B) but version ${v.version} declares ${v.artifactSha256} (${v.artifactSizeBytes} B)`, 'invalid');
    }
    const uri = await this.artifacts.put(actual, data);
    return this.tx(async (tx) => {
      await tx.modelVersion.update({ where: { id: versionId }, data: { artifactStatus: 'verified', artifactUri: uri } });
      await this.audit(tx, actor, 'artifact.uploaded', { modelId: v.modelId, versionId }, { sha256: actual, sizeBytes: data.length, store: this.artifacts.kind });
      return { versionId, sha256: actual, sizeBytes: data.length, status: 'verified' as const };
    });
  }

  async downloadArtifact(actor: Principal, versionId: string): Promise<{ sha256: string; data: Buffer }> {
    await this.guard(actor, 'read');
    const v = await this.versionById(versionId);
    const data = v.artifactStatus === 'verified' ? await this.artifacts.get(v.artifactSha256) : null;
    if (!data) throw new NotFoundError('ARTIFACT_NOT_UPLOADED', `Version ${v.version} has no verified artifact yet`);
    // Defends against bit rot or a tampered store: never serve bytes that do not match the registered hash.
    if (sha256Hex(data) !== v.artifactSha256) throw new DomainError('ARTIFACT_CORRUPT', 'Stored artifact does not match its checksum', 'internal');
    return { sha256: v.artifactSha256, data };
  }

  // ───────────── stages ─────────────

  async transition(actor: Principal, versionId: string, body: unknown) {
    const v = await this.versionById(versionId);
    const input = parseInput(transitionSchema, body);
    this.assertRegion(input.region);
    await this.guard(actor, 'stage.transition', { modelId: v.modelId, versionId, region: input.region });
    if (APPROVAL_REQUIRED.includes(input.toStage)) {
      throw new DomainError('APPROVAL_REQUIRED', `Moving to ${input.toStage} needs an approved promotion request (POST /api/v1/versions/${versionId}/promotion-requests)`, 'conflict');
    }
    return this.tx(async (tx) => {
      await this.lockModel(tx, v.modelId);
      const cur = await tx.versionStage.findUniqueOrThrow({ where: { versionId_region: { versionId, region: input.region } } });
      if (!isStage(cur.stage)) throw new Error(`corrupt stage ${cur.stage}`);
      assertTransition(cur.stage, input.toStage, 'transition');
      if (input.toStage === 'shadow') await this.displaceHolder(tx, actor, v.model, input.region, 'shadow', input.reason);
      await this.changeStage(tx, { modelId: v.modelId, modelName: v.model.name, versionId, version: v.version, artifactSha256: v.artifactSha256, region: input.region, from: cur.stage, to: input.toStage, action: 'transition', actor, reason: input.reason, evidence: input.evidence });
      return { versionId, region: input.region, from: cur.stage, to: input.toStage };
    });
  }

  async requestPromotion(actor: Principal, versionId: string, body: unknown) {
    const v = await this.versionById(versionId);
    const input = parseInput(promotionRequestSchema, body);
    this.assertRegion(input.region);
    await this.guard(actor, 'promotion.request', { modelId: v.modelId, versionId, region: input.region });
    return this.tx(async (tx) => {
      await this.lockModel(tx, v.modelId);
      const cur = await tx.versionStage.findUniqueOrThrow({ where: { versionId_region: { versionId, region: input.region } } });
      if (!isStage(cur.stage)) throw new Error(`corrupt stage ${cur.stage}`);
      assertTransition(cur.stage, input.targetStage, 'promote');
      const open = await tx.promotionRequest.findFirst({ where: { versionId, region: input.region, targetStage: input.targetStage, status: { in: ['pending', 'approved'] } } });
      if (open) throw new ConflictError('REQUEST_ALREADY_OPEN', `Request ${open.id} for this promotion is already ${open.status}`);
      const base = await tx.versionStage.findFirst({ where: { modelId: v.modelId, region: input.region, stage: input.targetStage } });
      const req = await tx.promotionRequest.create({
        data: { modelId: v.modelId, versionId, region: input.region, targetStage: input.targetStage, requestedBy: actor.principal, reason: input.reason, evidence: input.evidence as Json, baseVersionId: base?.versionId ?? null },
      });
      await this.audit(tx, actor, 'promotion.requested', { modelId: v.modelId, versionId, region: input.region }, { requestId: req.id, targetStage: input.targetStage, reason: input.reason, baseVersionId: req.baseVersionId });
      return req;
    });
  }

  async listRequests(actor: Principal, query: unknown) {
    await this.guard(actor, 'read');
    const q = parseInput(listRequestsQuerySchema, query);
    const modelId = q.model ? (await this.modelByName(q.model)).id : undefined;
    return this.db.promotionRequest.findMany({ where: { modelId, status: q.status }, orderBy: { createdAt: 'desc' }, take: 200 });
  }

  private async decide(actor: Principal, requestId: string, body: unknown, decision: 'approved' | 'rejected') {
    const input = parseInput(approvalSchema, body);
    const req = await this.db.promotionRequest.findUnique({ where: { id: this.uuidOr404(requestId, 'REQUEST_NOT_FOUND') } });
    if (!req) throw new NotFoundError('REQUEST_NOT_FOUND', `No promotion request ${requestId}`);
    await this.guard(actor, 'promotion.approve', { modelId: req.modelId, versionId: req.versionId, region: req.region });
    if (req.requestedBy === actor.principal) {
      await this.db.auditLog.create({ data: { actor: actor.principal, actorRole: actor.role, action: 'access.denied', modelId: req.modelId, versionId: req.versionId, region: req.region, details: { permission: 'promotion.approve', reason: 'four-eyes', requestId } } });
      throw new ForbiddenError('FOUR_EYES_VIOLATION', 'A promotion must be approved by someone other than its requester');
    }
    return this.tx(async (tx) => {
      const rows = await tx.promotionRequest.updateMany({
        where: { id: req.id, status: 'pending' },
        data: { status: decision, approvedBy: actor.principal, approvedAt: this.now(), approvalComment: input.comment },
      });
      if (rows.count !== 1) throw new ConflictError('REQUEST_NOT_PENDING', `Request is ${(await tx.promotionRequest.findUnique({ where: { id: req.id } }))?.status}, not pending`);
      await this.audit(tx, actor, decision === 'approved' ? 'promotion.approved' : 'promotion.rejected', { modelId: req.modelId, versionId: req.versionId, region: req.region }, { requestId: req.id, targetStage: req.targetStage, comment: input.comment, requestedBy: req.requestedBy });
      return tx.promotionRequest.findUniqueOrThrow({ where: { id: req.id } });
    });
  }

  approve(actor: Principal, requestId: string, body: unknown) {
    return this.decide(actor, requestId, body, 'approved');
  }

  reject(actor: Principal, requestId: string, body: unknown) {
    return this.decide(actor, requestId, body, 'rejected');
  }

  private uuidOr404(id: string, code: string): string {
    if (!UUID.test(id)) throw new NotFoundError(code, `No such id ${id}`);
    return id;
  }

  /** Active peak-event freezes covering a region at `at`. */
  async activeFreezes(region: string, at: Date = this.now()) {
    return this.db.freezeWindow.findMany({
      where: { startsAt: { lte: at }, endsAt: { gt: at }, OR: [{ regions: { isEmpty: true } }, { regions: { has: region } }] },
    });
  }

  /** "Promote": executes an approved request. Exactly one of any concurrent executions wins. */
  async executePromotion(actor: Principal, requestId: string, body: unknown) {
    const input = parseInput(executeSchema, body);
    const reqId = this.uuidOr404(requestId, 'REQUEST_NOT_FOUND');
    const pre = await this.db.promotionRequest.findUnique({ where: { id: reqId } });
    if (!pre) throw new NotFoundError('REQUEST_NOT_FOUND', `No promotion request ${requestId}`);
    await this.guard(actor, 'promotion.execute', { modelId: pre.modelId, versionId: pre.versionId, region: pre.region });
    if (input.freezeOverride) await this.guard(actor, 'freeze.override', { modelId: pre.modelId, versionId: pre.versionId, region: pre.region });
    const freezes = await this.activeFreezes(pre.region);
    if (freezes.length && !input.freezeOverride) {
      throw new DomainError('FREEZE_ACTIVE', `Promotions in ${pre.region} are frozen (${freezes.map((f) => f.name).join(', ')} until ${freezes[0]?.endsAt.toISOString()}); a release manager may override with a reason`, 'conflict');
    }
    const v = await this.versionById(pre.versionId);
    if (v.artifactStatus !== 'verified') throw new DomainError('ARTIFACT_NOT_VERIFIED', 'Upload and verify the artifact before promoting', 'conflict');
    return this.tx(async (tx) => {
      await this.lockModel(tx, pre.modelId);
      const req = await tx.promotionRequest.findUniqueOrThrow({ where: { id: reqId } });
      if (req.status !== 'approved') {
        throw new ConflictError(req.status === 'executed' ? 'REQUEST_ALREADY_EXECUTED' : 'REQUEST_NOT_APPROVED', `Request is ${req.status}; only an approved request can be executed`);
      }
      const target = req.targetStage as LiveStage;
      const holder = await tx.versionStage.findFirst({ where: { modelId: req.modelId, region: req.region, stage: target } });
      if ((holder?.versionId ?? null) !== req.baseVersionId) {
        throw new ConflictError('STALE_REQUEST', `The ${target} version in ${req.region} changed since this request was made; request again`);
      }
      const cur = await tx.versionStage.findUniqueOrThrow({ where: { versionId_region: { versionId: req.versionId, region: req.region } } });
      if (!isStage(cur.stage)) throw new Error(`corrupt stage ${cur.stage}`);
      assertTransition(cur.stage, target, 'promote');
      const reason = input.reason?.trim() || req.reason;
      await this.displaceHolder(tx, actor, v.model, req.region, target, reason, req.id);
      const freezeOverrideReason = freezes.length ? input.freezeOverride?.reason : undefined;
      if (freezeOverrideReason) {
        await this.audit(tx, actor, 'freeze.overridden', { modelId: req.modelId, versionId: req.versionId, region: req.region }, { requestId: req.id, reason: freezeOverrideReason, freezes: freezes.map((f) => f.name) });
      }
      await this.changeStage(tx, {
        modelId: req.modelId,
        modelName: v.model.name,
        versionId: req.versionId,
        version: v.version,
        artifactSha256: v.artifactSha256,
        region: req.region,
        from: cur.stage,
        to: target,
        action: 'promote',
        actor,
        reason,
        evidence: { ...(req.evidence as Record<string, unknown>), ...input.evidence, approvedBy: req.approvedBy, requestedBy: req.requestedBy },
        requestId: req.id,
        freezeOverrideReason,
      });
      await tx.promotionRequest.update({ where: { id: req.id }, data: { status: 'executed', executedBy: actor.principal, executedAt: this.now() } });
      await this.audit(tx, actor, 'promotion.executed', { modelId: req.modelId, versionId: req.versionId, region: req.region }, { requestId: req.id, targetStage: target, replaced: holder?.versionId ?? null });
      return { requestId: req.id, versionId: req.versionId, version: v.version, region: req.region, from: cur.stage, to: target, replacedVersionId: holder?.versionId ?? null };
    });
  }

  /** Restores the version that was production before the current one (a stack: repeated rollbacks go further back). */
  async rollback(actor: Principal, modelName: string, region: string, body: unknown) {
    const m = await this.modelByName(modelName);
    this.assertRegion(region);
    await this.guard(actor, 'rollback', { modelId: m.id, region });
    const input = parseInput(rollbackSchema, body);
    return this.tx(async (tx) => {
      await this.lockModel(tx, m.id);
      const current = await tx.versionStage.findFirst({ where: { modelId: m.id, region, stage: 'production' }, include: { version: true } });
      if (!current) throw new ConflictError('NO_PRODUCTION_VERSION', `Nothing is in production for ${modelName} in ${region}`);
      // Previous = most recently displaced production version that is still archived and was not itself rolled back.
      const prev = await tx.$queryRaw<{ versionId: string }[]>`
        SELECT t."versionId" FROM "StageTransition" t
        JOIN "VersionStage" s ON s."versionId" = t."versionId" AND s.region = t.region
        WHERE t."modelId" = ${m.id}::uuid AND t.region = ${region} AND t."fromStage" = 'production' AND s.stage = 'archived'
          AND t.seq = (SELECT max(t2.seq) FROM "StageTransition" t2 WHERE t2."versionId" = t."versionId" AND t2.region = t.region)
          AND t.action = 'displace'
        ORDER BY t.seq DESC LIMIT 1`;
      const prevId = prev[0]?.versionId;
      if (!prevId) throw new ConflictError('NO_PREVIOUS_PRODUCTION', `No earlier production version of ${modelName} in ${region} to restore`);
      const pv = await tx.modelVersion.findUniqueOrThrow({ where: { id: prevId } });
      const base = { modelId: m.id, modelName: m.name, region, actor, reason: input.reason, evidence: input.evidence };
      await this.changeStage(tx, { ...base, versionId: current.versionId, version: current.version.version, artifactSha256: current.version.artifactSha256, from: 'production', to: 'archived', action: 'rollback' });
      await this.changeStage(tx, { ...base, versionId: pv.id, version: pv.version, artifactSha256: pv.artifactSha256, from: 'archived', to: 'production', action: 'rollback' });
      await this.audit(tx, actor, 'rollback', { modelId: m.id, versionId: pv.id, region }, { from: current.version.version, to: pv.version, reason: input.reason });
      return { region, rolledBackVersionId: current.versionId, rolledBackVersion: current.version.version, restoredVersionId: pv.id, restoredVersion: pv.version };
    });
  }

  async deployments(actor: Principal, modelName: string) {
    await this.guard(actor, 'read');
    const m = await this.modelByName(modelName);
    // The scorer polls this: fetch only pointer fields, never the metrics/curves JSON.
    const versions = await this.db.modelVersion.findMany({
      where: { modelId: m.id, stages: { some: { stage: { in: [...LIVE_STAGES] } } } },
      select: { id: true, version: true, artifactSha256: true, policyVersion: true, stages: { select: { region: true, stage: true, updatedAt: true } } },
    });
    return { model: m.name, modelId: m.id, regions: this.deploymentsFrom(versions) };
  }

  async regionDeployment(actor: Principal, modelName: string, region: string) {
    this.assertRegion(region);
    const all = await this.deployments(actor, modelName);
    return { model: all.model, modelId: all.modelId, region, ...all.regions[region] };
  }

  // ───────────── aliases, freezes, timeline, evidence, webhooks ─────────────

  async setAlias(actor: Principal, modelName: string, alias: string, body: unknown) {
    const m = await this.modelByName(modelName);
    await this.guard(actor, 'alias.set', { modelId: m.id });
    if (!/^[a-z0-9][a-z0-9_-]{0,49}$/.test(alias)) throw new ValidationError('Invalid alias', [{ path: 'alias', message: 'lower-case letters, digits, _ -' }]);
    if (['candidate', 'shadow', 'canary', 'production', 'archived'].includes(alias)) throw new ValidationError('Aliases cannot shadow stage names', [], 'ALIAS_RESERVED');
    const input = parseInput(aliasSchema, body);
    return this.tx(async (tx) => {
      const v = await tx.modelVersion.findFirst({ where: { id: input.versionId, modelId: m.id } });
      if (!v) throw new NotFoundError('VERSION_NOT_FOUND', `Version ${input.versionId} is not a version of ${modelName}`);
      const prev = await tx.modelAlias.findUnique({ where: { modelId_name: { modelId: m.id, name: alias } } });
      const a = await tx.modelAlias.upsert({
        where: { modelId_name: { modelId: m.id, name: alias } },
        create: { modelId: m.id, name: alias, versionId: v.id, updatedBy: actor.principal },
        update: { versionId: v.id, updatedBy: actor.principal },
      });
      await this.audit(tx, actor, 'alias.set', { modelId: m.id, versionId: v.id }, { alias, version: v.version, previousVersionId: prev?.versionId ?? null });
      return { alias: a.name, versionId: v.id, version: v.version };
    });
  }

  async getAlias(actor: Principal, modelName: string, alias: string) {
    await this.guard(actor, 'read');
    const m = await this.modelByName(modelName);
    const a = await this.db.modelAlias.findUnique({ where: { modelId_name: { modelId: m.id, name: alias } }, include: { version: true } });
    if (!a) throw new NotFoundError('ALIAS_NOT_FOUND', `No alias ${alias} on ${modelName}`);
    return { alias: a.name, versionId: a.versionId, version: a.version.version, artifactSha256: a.version.artifactSha256 };
  }

  async createFreeze(actor: Principal, body: unknown) {
    await this.guard(actor, 'freeze.manage');
    const input = parseInput(freezeSchema, body);
    input.regions.forEach((r) => this.assertRegion(r));
    return this.tx(async (tx) => {
      const f = await tx.freezeWindow.create({ data: { name: input.name, startsAt: new Date(input.startsAt), endsAt: new Date(input.endsAt), regions: input.regions, reason: input.reason, createdBy: actor.principal } });
      await this.audit(tx, actor, 'freeze.created', {}, { freezeId: f.id, name: f.name, startsAt: f.startsAt, endsAt: f.endsAt, regions: f.regions });
      return f;
    });
  }

  async endFreeze(actor: Principal, id: string) {
    await this.guard(actor, 'freeze.manage');
    const fid = this.uuidOr404(id, 'FREEZE_NOT_FOUND');
    return this.tx(async (tx) => {
      const f = await tx.freezeWindow.findUnique({ where: { id: fid } });
      if (!f) throw new NotFoundError('FREEZE_NOT_FOUND', `No freeze ${id}`);
      const now = this.now();
      const updated = await tx.freezeWindow.update({ where: { id: fid }, data: { endsAt: f.endsAt > now ? (f.startsAt < now ? now : new Date(f.startsAt.getTime() + 1)) : f.endsAt } });
      await this.audit(tx, actor, 'freeze.ended', {}, { freezeId: f.id, name: f.name });
      return updated;
    });
  }

  async listFreezes(actor: Principal) {
    await this.guard(actor, 'read');
    return this.db.freezeWindow.findMany({ where: { endsAt: { gt: new Date(this.now().getTime() - 30 * 86_400_000) } }, orderBy: { startsAt: 'asc' } });
  }

  async appendRolloutStep(actor: Principal, versionId: string, body: unknown) {
    const v = await this.versionById(versionId);
    const input = parseInput(rolloutStepSchema, body);
    this.assertRegion(input.region);
    await this.guard(actor, 'rollout.append', { modelId: v.modelId, versionId, region: input.region });
    return this.tx(async (tx) => {
      const s = await tx.rolloutStep.create({
        data: { modelId: v.modelId, versionId, region: input.region, step: input.step, trafficPercent: input.trafficPercent, status: input.status, details: input.details as Json, actor: actor.principal },
      });
      await this.audit(tx, actor, 'rollout.step', { modelId: v.modelId, versionId, region: input.region }, { step: s.step, status: s.status, trafficPercent: s.trafficPercent });
      await this.enqueueEvent(tx, ROLLOUT_STEP_EVENT, { at: s.createdAt.toISOString(), modelId: v.modelId, modelName: v.model.name, versionId, version: v.version, region: s.region, step: s.step, status: s.status, trafficPercent: s.trafficPercent });
      return s;
    });
  }

  async listRolloutSteps(actor: Principal, q: { versionId?: string; model?: string; region?: string }) {
    await this.guard(actor, 'read');
    if (q.versionId !== undefined) this.uuidOr404(q.versionId, 'VERSION_NOT_FOUND');
    const modelId = q.model ? (await this.modelByName(q.model)).id : undefined;
    return this.db.rolloutStep.findMany({ where: { versionId: q.versionId, modelId, region: q.region }, orderBy: { seq: 'asc' }, take: 1000 });
  }

  async attachEvidence(actor: Principal, versionId: string, body: unknown) {
    const v = await this.versionById(versionId);
    const input = parseInput(evidenceSchema, body);
    if (input.region) this.assertRegion(input.region);
    await this.guard(actor, 'evidence.attach', { modelId: v.modelId, versionId, region: input.region });
    return this.tx(async (tx) => {
      const a = await this.audit(tx, actor, 'evidence.attached', { modelId: v.modelId, versionId, region: input.region }, { kind: input.kind, data: input.data });
      return { id: a.id, seq: a.seq, kind: input.kind, createdAt: a.createdAt };
    });
  }

  async listEvidence(actor: Principal, versionId: string) {
    await this.guard(actor, 'read');
    this.uuidOr404(versionId, 'VERSION_NOT_FOUND');
    const rows = await this.db.auditLog.findMany({ where: { versionId, action: 'evidence.attached' }, orderBy: { seq: 'asc' } });
    return rows.map((r) => ({ id: r.id, actor: r.actor, region: r.region, createdAt: r.createdAt, ...(r.details as Record<string, unknown>) }));
  }

  async createWebhook(actor: Principal, body: unknown) {
    await this.guard(actor, 'webhook.manage');
    const input = parseInput(webhookSchema, body);
    return this.tx(async (tx) => {
      const w = await tx.webhookSubscription.create({ data: { url: input.url, secret: input.secret, eventTypes: input.eventTypes, createdBy: actor.principal } });
      await this.audit(tx, actor, 'webhook.created', {}, { webhookId: w.id, url: w.url, eventTypes: w.eventTypes });
      return { id: w.id, url: w.url, eventTypes: w.eventTypes, active: w.active };
    });
  }

  async listWebhooks(actor: Principal) {
    await this.guard(actor, 'webhook.manage');
    const rows = await this.db.webhookSubscription.findMany({ orderBy: { createdAt: 'asc' } });
    return rows.map((w) => ({ id: w.id, url: w.url, eventTypes: w.eventTypes, active: w.active, createdBy: w.createdBy }));
  }

  /** Polling fallback for consumers (scorer/controller) next to webhooks and the event log. */
  async events(actor: Principal, query: unknown) {
    await this.guard(actor, 'read');
    const q = parseInput(eventsQuerySchema, query);
    const rows = await this.db.outboxEvent.findMany({ where: { seq: { gt: q.afterSeq } }, orderBy: { seq: 'asc' }, take: q.limit });
    return { events: rows.map((r) => ({ seq: r.seq, ...(r.payload as Record<string, unknown>) })), lastSeq: rows.at(-1)?.seq ?? q.afterSeq };
  }

  // ───────────── audit ─────────────

  async audit$(actor: Principal, query: unknown) {
    await this.guard(actor, 'read');
    const q = parseInput(auditQuerySchema, query);
    const modelId = q.model ? (await this.modelByName(q.model)).id : undefined;
    const rows = await this.db.auditLog.findMany({
      where: { modelId, versionId: q.versionId, region: q.region, action: q.action, seq: q.beforeSeq ? { lt: q.beforeSeq } : undefined },
      orderBy: { seq: 'desc' },
      take: q.limit,
    });
    return { entries: rows, nextBeforeSeq: rows.length === q.limit ? rows.at(-1)?.seq : null };
  }

  /** "What was live in region R at time t": each version's last stage change at or before t, kept if it was live. */
  async liveAt(actor: Principal, query: unknown) {
    await this.guard(actor, 'read');
    const q = parseInput(liveAtQuerySchema, query);
    this.assertRegion(q.region);
    const at = new Date(q.at);
    const modelId = q.model ? (await this.modelByName(q.model)).id : null;
    const rows = await this.db.$queryRaw<{ modelId: string; modelName: string; versionId: string; version: number; toStage: string; createdAt: Date; actor: string; reason: string }[]>`
      SELECT x.*, m.name AS "modelName", v.version FROM (
        SELECT DISTINCT ON (t."versionId") t."modelId", t."versionId", t."toStage", t."createdAt", t.actor, t.reason
        FROM "StageTransition" t
        WHERE t.region = ${q.region} AND t."createdAt" <= ${at} AND (${modelId}::uuid IS NULL OR t."modelId" = ${modelId}::uuid)
        ORDER BY t."versionId", t.seq DESC
      ) x
      JOIN "Model" m ON m.id = x."modelId" JOIN "ModelVersion" v ON v.id = x."versionId"
      WHERE x."toStage" IN ('shadow', 'canary', 'production')
      ORDER BY m.name, x."toStage"`;
    return {
      region: q.region,
      at: at.toISOString(),
      live: rows.map((r) => ({ model: r.modelName, modelId: r.modelId, stage: r.toStage, versionId: r.versionId, version: r.version, since: r.createdAt, by: r.actor, reason: r.reason })),
    };
  }

  canActor(actor: Principal, p: Permission): boolean {
    return can(actor.role, p);
  }
}
