import { BatchReplayer } from '@risk/feature-engine';
import type { EngineEvent, FeatureRead } from '@risk/feature-engine';
import { handbookFeatureSet } from './handbook.feature-set';
import { handbookLabelEvent, handbookTransactionEvent } from './handbook-raw';
import type { HandbookRawRow } from './handbook-raw';

export type HandbookRowSink = (transactionId: string, row: FeatureRead) => void;

/**
 * Point-in-time handbook features for a time-ordered stream of raw rows, in bounded memory: each row becomes a
 * transaction event (and a request), its label an event delivered 7 days later, merged in time order into one
 * BatchReplayer. Rows are emitted in input order once every event up to their time has been applied.
 */
export class HandbookReplay {
  private readonly replayer: BatchReplayer;
  private labels: EngineEvent[] = [];
  private labelHead = 0;
  private ids: string[] = [];
  private idBase = 0;
  private count = 0;

  constructor(sink: HandbookRowSink) {
    this.replayer = new BatchReplayer(handbookFeatureSet, (index, row) => sink(this.ids[index - this.idBase], row));
  }

  push(row: HandbookRawRow): void {
    const labels = this.labels;
    while (this.labelHead < labels.length && labels[this.labelHead].time <= row.time) this.replayer.pushEvent(labels[this.labelHead++]);
    if (this.labelHead > 65536) {
      labels.splice(0, this.labelHead);
      this.labelHead = 0;
    }
    const tx = handbookTransactionEvent(row);
    this.replayer.pushEvent(tx);
    this.ids.push(row.transactionId);
    this.replayer.pushRequest(tx, this.count++);
    labels.push(handbookLabelEvent(row));
    // Reads run in order, so ids before the replay clock are done with.
    if (this.ids.length > 65536 && this.replayer.rows - this.idBase > 32768) {
      const done = this.replayer.rows - this.idBase;
      this.ids.splice(0, done);
      this.idBase += done;
    }
  }

  finish(): void {
    this.replayer.finish();
  }

  get rows(): number {
    return this.replayer.rows;
  }
}
