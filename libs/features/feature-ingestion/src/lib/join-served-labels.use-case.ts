import { parseRiskEvent } from '@risk/contract-events';
import { assertSameRegion } from '@risk/util-privacy';
import type { ServedLabel } from '@risk/online-store';

export interface ServedLabelWriter {
  applyLabel(label: ServedLabel): Promise<number>;
}

/**
 * Outcomes joined onto the served-feature log as labels mature (consumer group served-feature-labels on the labels
 * topic): `label.confirmed` carries the label; a chargeback with reason "fraud" is a fraud label. Idempotent (an
 * UPDATE keyed by checkout), so redeliveries are harmless.
 */
export class JoinServedLabelsUseCase {
  constructor(private readonly deps: { writer: ServedLabelWriter; region: string }) {}

  async execute(value: unknown): Promise<{ updated: number }> {
    const e = parseRiskEvent(value);
    assertSameRegion(this.deps.region, e.region, `event ${e.eventId}`);
    let label: ServedLabel | undefined;
    if (e.type === 'label.confirmed') {
      label = { checkoutId: e.payload.original.checkoutId, region: e.region, label: e.payload.label, source: e.payload.source, labelledAt: Date.parse(e.occurredAt) };
    } else if (e.type === 'chargeback.received' && e.payload.reasonCategory === 'fraud') {
      label = { checkoutId: e.payload.original.checkoutId, region: e.region, label: 'fraud', source: 'chargeback', labelledAt: Date.parse(e.occurredAt) };
    }
    if (!label) return { updated: 0 };
    return { updated: await this.deps.writer.applyLabel(label) };
  }
}
