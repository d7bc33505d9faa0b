import { exampleScoringRequest, parseDecision, parseRiskEvent, type DecisionMadeEvent } from '@risk/contract-events';
import type { FeatureProvider, ModelAssignment, ModelRef, ModelSource } from '../decision.ports';
import { createTokenizer } from '@risk/util-privacy';
import { linearMlBundle } from '../model/ml-bundle.fixture';
import { mlModelLoader } from '../model/ml-model.loader';
import { ModelManager } from '../model/model-manager';
import { DEFAULT_POLICY } from '../policy/default-policy';
import { parsePolicyConfig } from '../policy/policy.schema';
import { DecisionPipeline } from './decision.pipeline';

const SET = { name: 'checkout', version: 1, featureNames: ['cnt_card_1h', 'rt_is_guest'] };
const model = linearMlBundle({ featureSet: SET, featureNames: SET.featureNames, bias: -3, weights: { cnt_card_1h: 0.2, rt_is_guest: 1 } });
const shadow = linearMlBundle({ featureSet: SET, featureNames: SET.featureNames, bias: -2, weights: { cnt_card_1h: 0.1 } });
const ref = (version: string, sha256: string): ModelRef => ({ name: 'checkout', version, sha256 });
const source = (withModel: boolean): ModelSource => ({
  async assignment(): Promise<ModelAssignment> {
    return { production: withModel ? ref('m-1', model.sha256) : null, canary: null, shadows: withModel ? [ref('m-2', shadow.sha256)] : [] };
  },
  async download(r: ModelRef): Promise<Uint8Array> {
    return r.version === 'm-1' ? model.bytes : shadow.bytes;
  },
});

async function pipeline(features: FeatureProvider | null, withModel = true, events: DecisionMadeEvent[] = [], velocity = DEFAULT_POLICY.velocity) {
  const models = new ModelManager({ region: 'eu', source: source(withModel), loader: mlModelLoader(SET) });
  await models.start();
  return new DecisionPipeline({
    policy: parsePolicyConfig({ ...DEFAULT_POLICY, velocity }),
    models,
    features,
    tokenizer: createTokenizer({ region: 'eu', keys: { k1: 'secret-1-0123456789abcdef' }, activeKeyId: 'k1' }),
    publisher: { publish: (e) => void events.push(e) },
    featureSet: { name: 'checkout', version: '1' },
    budgets: { featuresMs: 15, featuresTargetMs: 10, maxConcurrency: 4, minConcurrency: 1 },
    registryConfigured: true,
  });
}

const ok: FeatureProvider = { read: async () => ({ values: { cnt_card_1h: 3 }, missing: [], stale: false }) };

describe('DecisionPipeline', () => {
  it('scores with the model, publishes a valid decision event with shadow scores, off the critical path', async () => {
    const events: DecisionMadeEvent[] = [];
    const p = await pipeline(ok, true, events);
    const d = parseDecision(await p.decide(exampleScoringRequest()));
    expect(d.degraded).toEqual([]);
    expect(d.modelVersion).toBe('m-1');
    expect(d.score).toBeCloseTo(1 / (1 + Math.exp(3 - 0.6)), 5);
    expect(events).toHaveLength(0);
    await new Promise((r) => setImmediate(r));
    expect(events).toHaveLength(1);
    const e = parseRiskEvent(events[0]) as DecisionMadeEvent;
    expect(e.payload.shadow?.[0]?.modelVersion).toBe('m-2');
    expect(e.payload.features['cnt_card_1h']).toBe(3);
    expect(JSON.stringify(e)).not.toContain('jane.doe@example.com');
  });

  it('falls back to request-time features on a feature timeout, within the deadline', async () => {
    const p = await pipeline({ read: () => new Promise(() => undefined) });
    const d = parseDecision(await p.decide(exampleScoringRequest()));
    expect(d.degraded).toContainEqual({ stage: 'features', reason: 'features_timeout' });
    expect(d.modelVersion).toBe(DEFAULT_POLICY.fallbackModel.version);
  });

  it('uses the rules-only policy without a model, and sheds to the cheap path over the concurrency limit', async () => {
    const none = parseDecision(await (await pipeline(ok, false)).decide(exampleScoringRequest()));
    expect(none.degraded).toContainEqual({ stage: 'model', reason: 'model_missing' });
    expect(none.reasonCodes[0]).toBe('RULES_ONLY');
    const slow = await pipeline({ read: () => new Promise((r) => setTimeout(() => r({ values: {}, missing: [], stale: false }), 5)) }, true, [], []);
    const many = await Promise.all(Array.from({ length: 12 }, (_, i) => slow.decide({ ...exampleScoringRequest(), checkoutId: `chk_${i}` })));
    const shed = many.filter((d) => d.degraded.some((x) => x.reason === 'overload_shed'));
    expect(shed.length).toBe(8);
    many.forEach((d) => parseDecision(d));
  });

  it('opens the circuit after consecutive failures', async () => {
    let calls = 0;
    const p = await pipeline({ read: async () => (calls++, Promise.reject(new Error('down'))) });
    for (let i = 0; i < 8; i++) expect((await p.decide(exampleScoringRequest())).degraded).toContainEqual({ stage: 'features', reason: 'features_unavailable' });
    expect(calls).toBe(5);
  });
});
