import { cardPrecisionAtK } from './card-precision.metrics';

describe('cardPrecisionAtK (handbook definition)', () => {
  // Hand-worked with k = 2:
  // day 0: A max .9 (fraud), B .8, C .7 (fraud), D .95 -> top2 {D, A} -> 1/2; A detected.
  // day 1: A dropped (detected), C dropped (known compromised that day); B .6 (fraud), E .4 -> top2 {B, E} -> 1/2.
  // day 2: B dropped (detected day 1); E .3 -> 0 frauds / k -> 0 (divide by k even with fewer cards).
  const rows = [
    { day: 0, card: 'A', score: 0.9, label: 1 },
    { day: 0, card: 'A', score: 0.1, label: 0 },
    { day: 0, card: 'B', score: 0.8, label: 0 },
    { day: 0, card: 'C', score: 0.7, label: 1 },
    { day: 0, card: 'D', score: 0.95, label: 0 },
    { day: 1, card: 'A', score: 0.99, label: 1 },
    { day: 1, card: 'B', score: 0.6, label: 1 },
    { day: 1, card: 'C', score: 0.5, label: 1 },
    { day: 1, card: 'E', score: 0.4, label: 0 },
    { day: 2, card: 'B', score: 0.9, label: 1 },
    { day: 2, card: 'E', score: 0.3, label: 0 },
  ];
  const input = {
    day: rows.map((r) => r.day),
    card: rows.map((r) => r.card),
    score: rows.map((r) => r.score),
    label: rows.map((r) => r.label),
    knownCompromised: new Map([[1, ['C']]]),
  };

  it('matches the hand-computed per-day precisions and mean', () => {
    const res = cardPrecisionAtK(input, 2);
    expect(res.perDay.map((d) => d.precision)).toEqual([0.5, 0.5, 0]);
    expect(res.perDay.map((d) => d.cardsRanked)).toEqual([4, 2, 1]);
    expect(res.mean).toBeCloseTo(1 / 3, 12);
    expect(res.detected.sort()).toEqual(['A', 'B']);
  });

  it('scores a card by its highest transaction and labels it by any fraud that day', () => {
    // Without exclusions day 1 ranks A (.99, fraud) and B (.6, fraud) -> but A was detected on day 0.
    const res = cardPrecisionAtK({ ...input, knownCompromised: undefined }, 2);
    // day 1 now ranks B .6 and C .5, both fraudulent.
    expect(res.perDay[1].precision).toBe(1);
  });

  it('accepts unsorted days and numeric card ids', () => {
    const res = cardPrecisionAtK({ day: [3, 1], card: [7, 7], score: [0.2, 0.9], label: [1, 1] }, 1);
    expect(res.perDay.map((d) => d.day)).toEqual([1, 3]);
    // Card 7 found on day 1 drops out of day 3.
    expect(res.perDay.map((d) => d.precision)).toEqual([1, 0]);
  });
});
