import type { StatsSnapshot } from './decision-stats';

export interface StepResult {
  name: 'services' | 'apps' | 'baseline' | 'traffic' | 'training' | 'promotion' | 'peak-fault';
  ok: boolean;
  durationMs: number;
  detail: string;
  error?: string;
}

export interface DemoSummary {
  ok: boolean;
  mode: 'quick' | 'full';
  runId: string;
  startedAt: string;
  durationMs: number;
  interrupted: boolean;
  steps: StepResult[];
  decisions: StatsSnapshot & { notSent: number };
  /** Steady traffic before the spike (the scorer's normal latency). */
  steady: StatsSnapshot | null;
  events: { published: number; byType: Record<string, number>; delayedLabels: number } | null;
  model: {
    name: string;
    production: { versionId: string; version: number; description: string | null } | null;
    baseline: { versionId: string } | null;
    trained: { versionId: string; jobId: string; metrics: Record<string, number> } | null;
    stagesWalked: string[];
  };
  peak: { multiplier: number; rps: number; durationMs: number; stats: StatsSnapshot } | null;
  fault: {
    kind: string;
    target: string;
    durationMs: number;
    during: StatsSnapshot;
    after: StatsSnapshot;
    outcome: string;
  } | null;
  urls: Record<string, string>;
  tokens: Record<string, string>;
  logs: string;
  /** Child processes this run started (all stopped when the demo exits). */
  processes: { name: string; pid: number }[];
}

const pct = (x: number): string => `${(x * 100).toFixed(2)}%`;

/** The human-readable block printed at the end (the JSON has the same content). */
export function renderSummary(s: DemoSummary): string {
  const line = '='.repeat(78);
  const out: string[] = [line, `CHECKOUT-RISK DEMO SUMMARY (${s.mode}) — ${s.ok ? 'ALL STEPS OK' : s.interrupted ? 'INTERRUPTED' : 'SOME STEPS FAILED'}`, line];
  out.push('Steps:');
  for (const st of s.steps) out.push(`  ${st.ok ? '✔' : '✘'} ${st.name.padEnd(11)} ${(st.durationMs / 1000).toFixed(1).padStart(6)} s  ${st.detail}${st.error ? `\n      error: ${st.error.split('\n')[0]}` : ''}`);
  const d = s.decisions;
  out.push(`Decisions: ${d.total} total (${Object.entries(d.byAction).map(([a, n]) => `${a} ${n}`).join(', ')}), unanswered ${d.unanswered}, not sent ${d.notSent}`);
  out.push(`  degraded ${pct(d.degradedShare)} overall · p50 ${d.p50Ms} ms · p99 ${d.p99Ms} ms (client), ${d.scorerP99Ms} ms (scorer)${s.steady ? ` · steady p99 ${s.steady.p99Ms} ms (client), ${s.steady.scorerP99Ms} ms (scorer)` : ''}`);
  if (s.events) out.push(`Events published: ${s.events.published} (delayed labels ${s.events.delayedLabels})`);
  const p = s.model.production;
  out.push(`Model in production (${s.model.name}, eu): ${p ? `v${p.version} ${p.versionId}${p.description ? ` — ${p.description}` : ''}` : 'none'}`);
  if (s.model.trained) out.push(`Trained: ${s.model.trained.versionId} (job ${s.model.trained.jobId}) ${JSON.stringify(s.model.trained.metrics)}`);
  if (s.model.stagesWalked.length) out.push(`Stages walked: ${s.model.stagesWalked.join(' → ')}`);
  if (s.peak) out.push(`Peak: ${s.peak.multiplier}x (${s.peak.rps} rps) for ${s.peak.durationMs / 1000} s: ${s.peak.stats.total} decisions, p99 ${s.peak.stats.p99Ms} ms, unanswered ${s.peak.stats.unanswered}`);
  if (s.fault) {
    out.push(`Fault: ${s.fault.kind} on ${s.fault.target} for ${s.fault.durationMs} ms`);
    out.push(`  during: ${s.fault.during.total} decisions, degraded ${pct(s.fault.during.degradedShare)} ${JSON.stringify(s.fault.during.degradedByReason)}, unanswered ${s.fault.during.unanswered}, p99 ${s.fault.during.p99Ms} ms`);
    out.push(`  after:  ${s.fault.after.total} decisions, degraded ${pct(s.fault.after.degradedShare)}, p99 ${s.fault.after.p99Ms} ms`);
    out.push(`  outcome: ${s.fault.outcome}`);
  }
  out.push('Where to look' + (s.ok || s.interrupted ? '' : '') + ':');
  for (const [k, v] of Object.entries(s.urls)) out.push(`  ${k.padEnd(20)} ${v}`);
  out.push(`Tokens (paste into the registry UI): ${Object.entries(s.tokens).map(([k, v]) => `${k}=${v}`).join('  ')}`);
  out.push(`App logs: ${s.logs}`);
  out.push(line);
  return out.join('\n');
}
