import type { FeatureRequest } from '@risk/feature-engine';
import type { OnlineFeatureReader } from './online-reader';

/** Same shape as `FeatureReadResult` of the scorer's `FeatureProvider` port (@risk/decision). */
export interface ProviderReadResult {
  values: Record<string, number>;
  /** entities with no online state */
  missing: string[];
  /** some feature was older than its staleness bound */
  stale: boolean;
}

/**
 * Adapter satisfying the scorer's `FeatureProvider` port structurally (this data-access lib cannot import the
 * scoring scope): `toRequest` maps the port's input (EdgeRequest) onto the engine request, `timeoutError` builds the
 * port's timeout error. Missing features carry their definition's default (not 0): the batch engine that built the
 * training set used the same defaults, so a model sees the same value online as it saw offline.
 */
export class OnlineFeatureProvider<I> {
  constructor(
    private readonly reader: OnlineFeatureReader,
    private readonly toRequest: (input: I) => FeatureRequest,
    private readonly timeoutError: () => Error,
  ) {}

  async read(input: I, deadlineMs: number): Promise<ProviderReadResult> {
    const r = await this.reader.read(this.toRequest(input), deadlineMs);
    if (r.timedOut) throw this.timeoutError();
    const values: Record<string, number> = {};
    const ttls = this.reader.set.ttls;
    let stale = false;
    for (let i = 0; i < r.names.length; i++) {
      if (r.ages[i] > ttls[i]) stale = true;
      values[r.names[i]] = r.values[i];
    }
    return { values, missing: [...r.notFound], stale };
  }
}
