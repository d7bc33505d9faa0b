export interface CardPrecisionInput<C extends string | number> {
  /** Day index of each transaction. */
  day: ArrayLike<number>;
  card: ArrayLike<C>;
  score: ArrayLike<number>;
  label: ArrayLike<number>;
  /**
   * Cards known to be compromised before each test day (handbook: a known fraud up to D - delay);
   * they are removed from that day's ranking.
   */
  knownCompromised?: ReadonlyMap<number, Iterable<C>>;
}

export interface CardPrecisionResult<C> {
  mean: number;
  perDay: { day: number; precision: number; cardsRanked: number; fraudCardsInTopK: number }[];
  detected: C[];
}

/**
 * Card Precision@k as the handbook defines it: each day, a card scores its highest transaction score and is
 * fraudulent if any of its transactions that day is; the top k cards are checked and precision is
 * fraudulent / k (k, not the number ranked); fraudulent cards found in a top k drop out of later days.
 */
export function cardPrecisionAtK<C extends string | number>(input: CardPrecisionInput<C>, k = 100): CardPrecisionResult<C> {
  const n = input.day.length;
  if (input.card.length !== n || input.score.length !== n || input.label.length !== n) throw new RangeError('inputs differ in length');
  const byDay = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const d = input.day[i];
    let rows = byDay.get(d);
    if (!rows) byDay.set(d, (rows = []));
    rows.push(i);
  }
  const detected = new Set<C>();
  const perDay: CardPrecisionResult<C>['perDay'] = [];
  for (const d of [...byDay.keys()].sort((a, b) => a - b)) {
    const excluded = new Set<C>(input.knownCompromised?.get(d) ?? []);
    const cards = new Map<C, { score: number; fraud: boolean; first: number }>();
    for (const i of byDay.get(d) ?? []) {
      const c = input.card[i];
      if (detected.has(c) || excluded.has(c)) continue;
      const cur = cards.get(c);
      if (!cur) cards.set(c, { score: input.score[i], fraud: input.label[i] === 1, first: i });
      else {
        if (input.score[i] > cur.score) cur.score = input.score[i];
        if (input.label[i] === 1) cur.fraud = true;
      }
    }
    const ranked = [...cards.entries()].sort((a, b) => b[1].score - a[1].score || a[1].first - b[1].first).slice(0, k);
    let tp = 0;
    for (const [c, v] of ranked) {
      if (v.fraud) {
        tp++;
        detected.add(c);
      }
    }
    perDay.push({ day: d, precision: tp / k, cardsRanked: cards.size, fraudCardsInTopK: tp });
  }
  const mean = perDay.length ? perDay.reduce((a, p) => a + p.precision, 0) / perDay.length : Number.NaN;
  return { mean, perDay, detected: [...detected] };
}
