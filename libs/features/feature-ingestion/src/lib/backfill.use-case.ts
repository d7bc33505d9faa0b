import { BatchReplayer } from '@risk/feature-engine';
import type { EngineEvent, EntityState, FeatureSet } from '@risk/feature-engine';

export interface FeatureStateWarmer {
  warm(states: Iterable<[engineKey: string, state: EntityState]>): Promise<number>;
}

export interface BackfillCommand {
  /** The (new version of the) feature set: its keys are versioned, so warming never touches the live version. */
  readonly set: FeatureSet;
  /** Event history in time order (labels at their arrival time), e.g. read back from the offline store. */
  readonly events: Iterable<EngineEvent> | AsyncIterable<EngineEvent>;
}

export interface BackfillResult {
  readonly events: number;
  readonly entities: number;
  /** Time of the newest event folded in: the live consumer must (re)apply everything after it (idempotent). */
  readonly upTo: number;
}

/**
 * Backfill of a new feature (a new feature-set version) from the event history with the batch engine, then warm-up
 * of the online state from the resulting entity states. The batch and the online path share one state format, so
 * the warmed state is exactly what streaming would have built.
 */
export class BackfillFeatureUseCase {
  constructor(private readonly store: (set: FeatureSet) => FeatureStateWarmer) {}

  async execute(cmd: BackfillCommand): Promise<BackfillResult> {
    const replayer = new BatchReplayer(cmd.set, () => undefined);
    let events = 0;
    let upTo = -Infinity;
    for await (const e of cmd.events) {
      replayer.pushEvent(e);
      events++;
      upTo = e.time;
    }
    replayer.finish();
    const entities = await this.store(cmd.set).warm(replayer.entries());
    return { events, entities, upTo };
  }
}
