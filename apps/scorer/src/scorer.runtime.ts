import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseScoringRequest, type Decision } from '@risk/contract-events';
import {
  DEFAULT_POLICY,
  DecisionPipeline,
  ModelManager,
  mlModelLoader,
  parsePolicyConfig,
  type DecisionPublisher,
  type PolicyConfig,
} from '@risk/decision';
import type { Logger } from '@risk/util-logging';
import { checkoutFeatureSet } from '@risk/feature-sets';
import { createTokenizer } from '@risk/util-privacy';
import { EventLogDecisionPublisher } from './adapters/event-log.publisher';
import { OnlineFeatures } from './adapters/online-feature.adapter';
import { RegistryModelSource } from './adapters/registry-model.source';
import type { ScorerConfig } from './scorer.config';
import { ScorerMetrics } from './scorer.metrics';

export interface RuntimeOverrides {
  publisher?: DecisionPublisher;
  policy?: PolicyConfig;
}

function tokenKeys(c: ScorerConfig, logger: Logger): { keys: Record<string, string>; activeKeyId: string } {
  if (c.TOKEN_KEYS) {
    const keys = Object.fromEntries(c.TOKEN_KEYS.split(',').map((kv) => kv.split('=', 2) as [string, string]));
    return { keys, activeKeyId: c.TOKEN_ACTIVE_KEY_ID ?? (Object.keys(keys)[0] as string) };
  }
  if (c.NODE_ENV === 'production') throw new Error('TOKEN_KEYS is required in production');
  // No secret in the repo: development gets an ephemeral key, so tokens are stable only for this process.
  logger.warn('TOKEN_KEYS not set: using an ephemeral tokenisation key (development only)');
  return { keys: { dev: randomBytes(32).toString('base64url') }, activeKeyId: 'dev' };
}

function loadPolicy(c: ScorerConfig, logger: Logger): PolicyConfig {
  try {
    return parsePolicyConfig(JSON.parse(readFileSync(c.POLICY_FILE, 'utf8')));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    logger.warn({ file: c.POLICY_FILE }, 'policy file not found; using the built-in default policy');
    return parsePolicyConfig(DEFAULT_POLICY);
  }
}

/** Composition root of the scorer: builds adapters and the pipeline from config; owns their lifecycle. */
export class ScorerRuntime {
  readonly metrics = new ScorerMetrics();
  readonly features: OnlineFeatures;
  readonly models: ModelManager;
  readonly pipeline: DecisionPipeline;
  private readonly eventLog: EventLogDecisionPublisher | null;

  constructor(
    readonly config: ScorerConfig,
    logger: Logger,
    overrides: RuntimeOverrides = {},
  ) {
    const c = config;
    const set = checkoutFeatureSet;
    this.features = new OnlineFeatures({
      url: c.REDIS_URL,
      set,
      keyPrefix: c.FEATURE_KEY_PREFIX,
      region: c.REGION,
      commandTimeoutMs: c.REDIS_COMMAND_TIMEOUT_MS,
      deadlineMs: c.FEATURES_DEADLINE_MS,
      coarseCacheTtlMs: c.FEATURE_COARSE_CACHE_MS,
    });
    const source =
      c.REGISTRY_URL && c.REGISTRY_TOKEN
        ? new RegistryModelSource({ baseUrl: c.REGISTRY_URL, token: c.REGISTRY_TOKEN, modelName: c.MODEL_NAME, timeoutMs: c.REGISTRY_TIMEOUT_MS, artifactTimeoutMs: c.REGISTRY_ARTIFACT_TIMEOUT_MS })
        : null;
    this.models = new ModelManager({
      region: c.REGION,
      source,
      loader: mlModelLoader(set),
      lkgDir: c.MODEL_CACHE_DIR,
      refreshMs: c.MODEL_REFRESH_MS,
      logger,
    });
    this.eventLog =
      overrides.publisher || c.DECISION_LOG === 'none' ? null : new EventLogDecisionPublisher({ redisUrl: c.EVENT_LOG_REDIS_URL ?? c.REDIS_URL, region: c.REGION }, logger);
    this.pipeline = new DecisionPipeline({
      policy: overrides.policy ?? loadPolicy(c, logger),
      models: this.models,
      features: this.features,
      tokenizer: createTokenizer({ region: c.REGION, ...tokenKeys(c, logger) }),
      publisher: overrides.publisher ?? this.eventLog ?? undefined,
      featureSet: { name: set.name, version: String(set.version) },
      budgets: {
        featuresMs: c.FEATURES_DEADLINE_MS,
        featuresTargetMs: c.FEATURES_TARGET_MS,
        maxConcurrency: c.MAX_CONCURRENCY,
        minConcurrency: c.MIN_CONCURRENCY,
      },
      registryConfigured: !!c.REGISTRY_URL,
      breaker: { consecutiveFailures: c.BREAKER_FAILURES, halfOpenAfterMs: c.BREAKER_HALF_OPEN_MS },
      logger,
      observe: (d, arm) => this.metrics.observe(d, arm),
    });
  }

  /** Never fails on a down dependency: the scorer must answer (degraded) from the first second. */
  async start(): Promise<void> {
    await Promise.all([this.models.start(), this.eventLog?.start()]);
  }

  async decide(body: unknown): Promise<Decision> {
    return this.pipeline.decide(parseScoringRequest(body));
  }

  health(): Record<string, unknown> {
    const set = this.models.current;
    return {
      region: this.config.REGION,
      redis: this.features.ready ? 'up' : 'down',
      featuresBreaker: this.pipeline.breakerState,
      registry: this.models.health.registryReachable ? 'up' : 'down',
      model: { production: set.production?.ref.version ?? null, canary: set.canary ? { version: set.canary.model.ref.version, percent: set.canary.percent } : null, origin: set.origin },
      concurrencyLimit: this.pipeline.limiter.limit,
      decisionLog: this.eventLog ? (this.eventLog.available() ? 'up' : 'down') : 'external',
    };
  }

  async stop(): Promise<void> {
    this.models.stop();
    await this.eventLog?.close();
    await this.features.close();
  }
}
