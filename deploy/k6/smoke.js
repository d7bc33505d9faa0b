// Post-deploy smoke of one region's scorer: the peak profile in miniature (about 2 minutes at 5 -> 50 rps).
// Same thresholds as peak.js, so a deploy that cannot meet the budget at low load stops here.
//
//   k6 run -e BASE_URL="$SCORER_URL" -e REGION=eu deploy/k6/smoke.js
import http from 'k6/http';
import { check } from 'k6';
import { Counter, Rate } from 'k6/metrics';
import { decisionRequest, isDegraded } from './lib/decision-request.js';

const BASE_URL = __ENV.BASE_URL || 'http://127.0.0.1:3001';
const REGION = __ENV.REGION || 'eu';
const BASE_RPS = Number(__ENV.BASE_RPS || 5);
const PEAK_RPS = BASE_RPS * 10;
const BUDGET_MS = 60;
const POOLS = { accounts: 10000, merchants: 1000 };
const HEADERS = { 'Content-Type': 'application/json', ...(__ENV.AUTH_TOKEN ? { Authorization: `Bearer ${__ENV.AUTH_TOKEN}` } : {}) };

const withinBudget = new Rate('decisions_within_budget');
const degraded = new Rate('decisions_degraded');
const serverErrors = new Counter('server_errors');

export const options = {
  scenarios: {
    smoke: {
      executor: 'ramping-arrival-rate',
      startRate: BASE_RPS,
      timeUnit: '1s',
      preAllocatedVUs: 10,
      maxVUs: 50,
      stages: [
        { duration: '20s', target: BASE_RPS },
        { duration: '20s', target: PEAK_RPS },
        { duration: '40s', target: PEAK_RPS },
        { duration: '20s', target: BASE_RPS },
        { duration: '20s', target: BASE_RPS },
      ],
    },
  },
  thresholds: {
    'http_req_duration{scenario:smoke}': ['p(99)<60'],
    http_req_failed: ['rate<0.001'],
    decisions_within_budget: ['rate>=0.999'],
    server_errors: ['count<1'],
    dropped_iterations: ['count<1'],
    checks: ['rate>0.999'],
  },
};

export function setup() {
  for (const path of ['/health/live', '/health/ready']) {
    const res = http.get(`${BASE_URL}${path}`);
    if (res.status !== 200) throw new Error(`${BASE_URL}${path} answered HTTP ${res.status}`);
  }
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
    'names its model and policy': () => body !== null && body.policyVersion !== undefined,
  });
}
