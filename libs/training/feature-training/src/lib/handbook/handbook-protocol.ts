import type { HandbookFrame } from './handbook-frame';
import { dayNumber } from './handbook-frame';

export interface HandbookSplitSpec {
  trainStart: string;
  trainDays: number;
  delayDays: number;
  testDays: number;
}

export interface HandbookSplit {
  spec: HandbookSplitSpec;
  /** Row indices, in frame order. */
  train: Int32Array;
  test: Int32Array;
  /** Test rows removed because their card had a known fraud up to D - (delay + 1) days. */
  removedKnownCards: number;
}

export const SINGLE_SPLIT: HandbookSplitSpec = { trainStart: '2018-07-25', trainDays: 7, delayDays: 7, testDays: 7 };
export const PREQUENTIAL_TEST_STARTS = ['2018-08-15', '2018-08-08', '2018-08-01', '2018-07-25'] as const;
export const PREQUENTIAL_VALIDATION_STARTS = ['2018-07-11', '2018-07-04', '2018-06-27', '2018-06-20'] as const;

export const foldSpec = (trainStart: string): HandbookSplitSpec => ({ trainStart, trainDays: 7, delayDays: 7, testDays: 7 });

/**
 * The handbook's train/test split with its delay period. For each test day D, cards with a fraud seen in
 * [trainStart, D - delay - 1] are dropped from D's test rows: they are known compromised by then (the labels of
 * the training period and of every day whose delay has elapsed).
 */
export function handbookSplit(frame: HandbookFrame, spec: HandbookSplitSpec): HandbookSplit {
  const t0 = dayNumber(spec.trainStart);
  const trainEnd = t0 + spec.trainDays;
  const testStart = trainEnd + spec.delayDays;
  const testEnd = testStart + spec.testDays;
  // Earliest day each card was seen fraudulent from the training start on.
  const firstFraudDay = new Map<number, number>();
  const train: number[] = [];
  const testCandidates: number[] = [];
  for (let i = 0; i < frame.n; i++) {
    const d = frame.day[i];
    if (d < t0 || d >= testEnd) continue;
    if (frame.fraud[i] === 1) {
      const c = frame.customerId[i];
      const prev = firstFraudDay.get(c);
      if (prev === undefined || d < prev) firstFraudDay.set(c, d);
    }
    if (d < trainEnd) train.push(i);
    else if (d >= testStart) testCandidates.push(i);
  }
  const test: number[] = [];
  let removed = 0;
  for (const i of testCandidates) {
    const known = firstFraudDay.get(frame.customerId[i]);
    if (known !== undefined && known <= frame.day[i] - spec.delayDays - 1) removed++;
    else test.push(i);
  }
  return { spec, train: Int32Array.from(train), test: Int32Array.from(test), removedKnownCards: removed };
}
