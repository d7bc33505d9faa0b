import { sigmoid } from '../serving/dense-forward';

/** Maps a model margin (logit) to a calibrated probability. */
export type Calibration =
  | { kind: 'none' }
  | { kind: 'platt'; a: number; b: number }
  | { kind: 'isotonic'; x: number[]; y: number[] };

/**
 * Platt scaling, p = sigmoid(a*z + b), fitted by Newton's method with backtracking on Platt's smoothed
 * targets (Lin, Lin & Weng 2007), which avoids overconfident 0/1 ends on small slices.
 */
export function fitPlatt(z: ArrayLike<number>, y: ArrayLike<number>, weights?: ArrayLike<number>): Calibration {
  const n = z.length;
  let nPos = 0;
  let nNeg = 0;
  for (let i = 0; i < n; i++) {
    const w = weights ? weights[i] : 1;
    if (y[i] === 1) nPos += w;
    else nNeg += w;
  }
  const hi = (nPos + 1) / (nPos + 2);
  const lo = 1 / (nNeg + 2);
  const t = (i: number) => (y[i] === 1 ? hi : lo);
  const loss = (a: number, b: number) => {
    let s = 0;
    for (let i = 0; i < n; i++) {
      const m = a * z[i] + b;
      s += (weights ? weights[i] : 1) * (Math.max(m, 0) - m * t(i) + Math.log1p(Math.exp(-Math.abs(m))));
    }
    return s;
  };
  let a = 1;
  let b = Math.log((nPos + 1) / (nNeg + 1));
  let f = loss(a, b);
  for (let it = 0; it < 100; it++) {
    let gA = 0;
    let gB = 0;
    let hAA = 1e-12;
    let hAB = 0;
    let hBB = 1e-12;
    for (let i = 0; i < n; i++) {
      const w = weights ? weights[i] : 1;
      const p = sigmoid(a * z[i] + b);
      const d = w * (p - t(i));
      const h = w * p * (1 - p);
      gA += d * z[i];
      gB += d;
      hAA += h * z[i] * z[i];
      hAB += h * z[i];
      hBB += h;
    }
    if (Math.abs(gA) < 1e-9 && Math.abs(gB) < 1e-9) break;
    const det = hAA * hBB - hAB * hAB;
    const dA = -(hBB * gA - hAB * gB) / det;
    const dB = -(-hAB * gA + hAA * gB) / det;
    if (Math.abs(dA) < 1e-10 * (1 + Math.abs(a)) && Math.abs(dB) < 1e-10 * (1 + Math.abs(b))) break;
    let step = 1;
    let improved = false;
    while (step > 1e-10) {
      const fNew = loss(a + step * dA, b + step * dB);
      if (fNew < f + 1e-4 * step * (gA * dA + gB * dB)) {
        a += step * dA;
        b += step * dB;
        f = fNew;
        improved = true;
        break;
      }
      step /= 2;
    }
    if (!improved) break;
  }
  return { kind: 'platt', a, b };
}

/**
 * Isotonic regression (pool adjacent violators) of labels on the margin; the fitted step function is kept as
 * block end points and applied with linear interpolation, clamped outside the fitted range (as sklearn does).
 */
export function fitIsotonic(z: ArrayLike<number>, y: ArrayLike<number>, weights?: ArrayLike<number>): Calibration {
  const n = z.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => z[i] - z[j]);
  // Merge tied margins first so equal inputs always map to one value.
  const bx: number[] = [];
  const bxMax: number[] = [];
  const by: number[] = [];
  const bw: number[] = [];
  for (const i of order) {
    const w = weights ? weights[i] : 1;
    if (w <= 0) continue;
    const last = bx.length - 1;
    if (last >= 0 && bxMax[last] === z[i]) {
      by[last] = (by[last] * bw[last] + y[i] * w) / (bw[last] + w);
      bw[last] += w;
    } else {
      bx.push(z[i]);
      bxMax.push(z[i]);
      by.push(y[i]);
      bw.push(w);
    }
    // Pool while the tail violates monotonicity.
    let k = bx.length - 1;
    while (k > 0 && by[k - 1] >= by[k]) {
      const w2 = bw[k - 1] + bw[k];
      by[k - 1] = (by[k - 1] * bw[k - 1] + by[k] * bw[k]) / w2;
      bw[k - 1] = w2;
      bxMax[k - 1] = bxMax[k];
      bx.pop();
      bxMax.pop();
      by.pop();
      bw.pop();
      k--;
    }
  }
  const x: number[] = [];
  const yy: number[] = [];
  for (let k = 0; k < bx.length; k++) {
    x.push(bx[k]);
    yy.push(by[k]);
    if (bxMax[k] !== bx[k]) {
      x.push(bxMax[k]);
      yy.push(by[k]);
    }
  }
  return { kind: 'isotonic', x, y: yy };
}

/** Allocation-free margin -> probability. */
export function compileCalibration(c: Calibration): (z: number) => number {
  switch (c.kind) {
    case 'none':
      return sigmoid;
    case 'platt': {
      const { a, b } = c;
      return (z) => sigmoid(a * z + b);
    }
    case 'isotonic': {
      const x = Float64Array.from(c.x);
      const y = Float64Array.from(c.y);
      const n = x.length;
      if (n === 0) return sigmoid;
      return (z) => {
        if (!(z > x[0])) return y[0];
        if (z >= x[n - 1]) return y[n - 1];
        let lo = 0;
        let hi = n - 1;
        while (hi - lo > 1) {
          const mid = (lo + hi) >> 1;
          if (x[mid] <= z) lo = mid;
          else hi = mid;
        }
        return y[lo] + ((y[hi] - y[lo]) * (z - x[lo])) / (x[hi] - x[lo]);
      };
    }
  }
}
