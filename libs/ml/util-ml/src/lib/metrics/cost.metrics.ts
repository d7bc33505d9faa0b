export type CostAction = 'allow' | 'step_up' | 'decline';

/** Money per transaction in the transaction's currency unit. */
export interface CostMatrix {
  /** Cost of one step-up challenge (abandonment, fees), paid whether fraud or not. */
  frictionCost: number;
  /** Share of fraud a step-up stops (3DS liability shift / failed challenge). */
  stepUpFraudCatchRate: number;
  /** Fixed cost of declining a legitimate customer. */
  falseDeclineCost: number;
  /** Plus this share of the amount (lost margin). */
  falseDeclineAmountRate: number;
}

/** Expected cost of each action for fraud probability p: allow = amount*p, step-up = friction + residual loss, decline = false-decline cost*(1-p). */
export function actionCosts(p: number, amount: number, c: CostMatrix): Record<CostAction, number> {
  return {
    allow: amount * p,
    step_up: c.frictionCost + amount * p * (1 - c.stepUpFraudCatchRate),
    decline: (1 - p) * (c.falseDeclineCost + c.falseDeclineAmountRate * amount),
  };
}

export function cheapestAction(p: number, amount: number, c: CostMatrix): CostAction {
  const k = actionCosts(p, amount, c);
  let best: CostAction = 'allow';
  if (k.step_up < k[best]) best = 'step_up';
  if (k.decline < k[best]) best = 'decline';
  return best;
}

/** Cost actually incurred by taking `action` on a transaction whose true label is known. */
export function realisedCost(action: CostAction, fraud: boolean, amount: number, c: CostMatrix): number {
  if (action === 'allow') return fraud ? amount : 0;
  if (action === 'step_up') return c.frictionCost + (fraud ? amount * (1 - c.stepUpFraudCatchRate) : 0);
  return fraud ? 0 : c.falseDeclineCost + c.falseDeclineAmountRate * amount;
}

export interface CostEvaluation {
  /** Sum of realised costs under the labels. */
  realisedCost: number;
  /** What the model believed the chosen actions would cost (sum of expected costs). */
  expectedCost: number;
  /** Baseline: allow everything. */
  allowAllCost: number;
  fraudLoss: number;
  frictionCost: number;
  falseDeclineCost: number;
  actions: Record<CostAction, number>;
  costPerTransaction: number;
}

/**
 * Evaluates the expected-cost policy (each transaction gets its cheapest action under calibrated p), or a
 * caller-chosen action per row, against the labels.
 */
export function evaluateCost(
  rows: { prob: ArrayLike<number>; label: ArrayLike<number>; amount: ArrayLike<number> },
  c: CostMatrix,
  chooseAction: (p: number, amount: number, i: number) => CostAction = (p, a) => cheapestAction(p, a, c),
): CostEvaluation {
  const n = rows.prob.length;
  const ev: CostEvaluation = {
    realisedCost: 0,
    expectedCost: 0,
    allowAllCost: 0,
    fraudLoss: 0,
    frictionCost: 0,
    falseDeclineCost: 0,
    actions: { allow: 0, step_up: 0, decline: 0 },
    costPerTransaction: 0,
  };
  for (let i = 0; i < n; i++) {
    const p = rows.prob[i];
    const amount = rows.amount[i];
    const fraud = rows.label[i] === 1;
    const a = chooseAction(p, amount, i);
    const cost = realisedCost(a, fraud, amount, c);
    ev.actions[a]++;
    ev.realisedCost += cost;
    ev.expectedCost += actionCosts(p, amount, c)[a];
    if (fraud) ev.allowAllCost += amount;
    if (a === 'step_up') {
      ev.frictionCost += c.frictionCost;
      ev.fraudLoss += cost - c.frictionCost;
    } else if (a === 'allow') ev.fraudLoss += cost;
    else ev.falseDeclineCost += cost;
  }
  ev.costPerTransaction = n ? ev.realisedCost / n : 0;
  return ev;
}
