// Production-scale equivalent of `npm run bench:peak`, for one region's scorer:
//   baseline -> ramp to 10x within 60 s -> hold -> return to baseline -> recovery,
// as an open model (ramping-arrival-rate): arrivals don't wait on slow responses, so a stall shows up as latency
// and dropped iterations instead of hiding behind fewer requests.
//
//   k6 run -e BASE_URL="$SCORER_URL" -e REGION=eu -e BASE_RPS=1400 deploy/k6/peak.js
//
// BASE_RPS defaults to a tenth of the region's design peak (deploy/README.md, "Capacity"). Run from inside the
// region, against a pre-production stack or a booked production window; never across regions.
import http from 'k6/http';
import { check } from 'k6';
import { Counter, Rate } from 'k6/metrics';
import { decisionRequest, isDegraded } from './lib/decision-request.js';

const BASE_URL = __ENV.BASE_URL || 'http://127.0.0.1:3001';
const REGION = __ENV.REGION || 'eu';
const BASE_RPS = Number(__ENV.BASE_RPS || 1400);
const SPIKE_FACTOR = Number(__ENV.SPIKE_FACTOR || 10);
const PEAK_RPS = Math.round(BASE_RPS * SPIKE_FACTOR);
const BASELINE = __ENV.BASELINE || '5m';
const HOLD = __ENV.HOLD || '15m';
const RECOVERY = __ENV.RECOVERY || '5m';
const BUDGET_MS = 60;
const POOLS = { accounts: Number(__ENV.ACCOUNT_POOL || 5000000), merchants: Number(__ENV.MERCHANT_POOL || 350000) };
const HEADERS = { 'Content-Type': 'application/json', ...(__ENV.AUTH_TOKEN ? { Authorization: `Bearer ${__ENV.AUTH_TOKEN}` } : {}) };

const withinBudget = new Rate('decisions_within_budget');
const degraded = new Rate('decisions_degraded');
const serverErrors = new Counter('server_errors');

export const options = {
  discardResponseBodies: false,
  scenarios: {
    peak: {
      executor: 'ramping-arrival-rate',
      startRate: BASE_RPS,
      timeUnit: '1s',
      // Little's law at the budget: PEAK_RPS x 60 ms in flight, x2 margin; more VUs only when responses slow down.
      preAllocatedVUs: Math.ceil(PEAK_RPS * 0.12),
      maxVUs: Math.ceil(PEAK_RPS * 0.5),
      stages: [
        { duration: BASELINE, target: BASE_RPS },
        { duration: '60s', target: PEAK_RPS },
        { duration: HOLD, target: PEAK_RPS },
        { duration: '60s', target: BASE_RPS },
        { duration: RECOVERY, target: BASE_RPS },
      ],
    },
  },
  thresholds: {
    // Degraded answers count as answers; what must hold is the budget and no 5xx.
    'http_req_duration{scenario:peak}': ['p(99)<60', 'p(99.9)<100'],
    http_req_failed: ['rate<0.001'],
    decisions_within_budget: ['rate>=0.999'],
    server_errors: ['count<1'],
    // Not enough VUs to keep the arrival rate means the generator, not the scorer, set the pace.
    dropped_iterations: ['count<1'],
    checks: ['rate>0.999'],
  },
  summaryTrendStats: ['avg', 'p(50)', 'p(90)', 'p(99)', 'p(99.9)', 'max'],
};

export function setup() {
  const ready = http.get(`${BASE_URL}/health/ready`);
  if (ready.status !== 200) throw new Error(`scorer at ${BASE_URL} is not ready (HTTP ${ready.status})`);
}

export default function () {
  const res = http.post(`${BASE_URL}/v1/decisions`, JSON.stringify(decisionRequest(REGION, POOLS)), {
    headers: HEADERS,
    timeout: '1s',
    tags: { name: 'POST /v1/decisions' },
  });
  withinBudget.add(res.status === 200 && res.timings.duration <= BUDGET_MS);
  if (res.status >= 500) serverErrors.add(1);
  let body = null;
  try {
    body = res.status === 200 ? res.json() : null;
  } catch {
    body = null;
  }
  degraded.add(isDegraded(body));
  check(res, {
    'status 200': (r) => r.status === 200,
    'has an action': () => body !== null && typeof body.action === 'string',
  });
}
