/** The monitoring page: one HTML document, inline SVG charts per model version, no build step. */
export const MONITOR_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>checkout-risk monitoring</title>
<style>
body{font:14px system-ui,sans-serif;margin:24px;color:#1b1f24}h1{font-size:20px}h2{font-size:16px;margin-top:28px}
table{border-collapse:collapse;margin:8px 0}td,th{border-bottom:1px solid #ddd;padding:3px 8px;text-align:left;white-space:nowrap}
.bad{color:#b3261e;font-weight:600}.card{border:1px solid #ddd;border-radius:6px;padding:12px;margin:12px 0}svg{background:#fafafa}
</style></head><body>
<h1>Monitoring <span id="region"></span></h1>
<div id="alerts"></div><div id="versions"></div><div id="other"></div>
<script>
const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;',"'":'&#39;'}[c]));
function line(points, key, w, h, max) {
  if (!points.length) return '';
  const x = (i) => 30 + (i * (w - 40)) / Math.max(1, points.length - 1);
  const y = (v) => h - 20 - (Math.min(v, max) / max) * (h - 30);
  return points.map((p, i) => (i ? 'L' : 'M') + x(i).toFixed(1) + ' ' + y(p[key] ?? 0).toFixed(1)).join(' ');
}
function historyChart(points) {
  const w = 520, h = 180, max = Math.max(0.5, ...points.map((p) => Math.max(p.maxFeaturePsi, p.scorePsi)));
  const thr = (v, c) => { const y = h - 20 - (v / max) * (h - 30); return '<line x1="30" x2="' + (w - 10) + '" y1="' + y + '" y2="' + y + '" stroke="' + c + '" stroke-dasharray="4 3"/>'; };
  return '<svg width="' + w + '" height="' + h + '" role="img" aria-label="PSI over time">' + thr(0.25, '#d33') + thr(0.2, '#e90') +
    '<path d="' + line(points, 'maxFeaturePsi', w, h, max) + '" fill="none" stroke="#1565c0" stroke-width="2"/>' +
    '<path d="' + line(points, 'scorePsi', w, h, max) + '" fill="none" stroke="#2e7d32" stroke-width="2"/>' +
    '<text x="34" y="14" font-size="11" fill="#1565c0">max feature PSI</text><text x="150" y="14" font-size="11" fill="#2e7d32">score PSI</text>' +
    '<text x="2" y="' + (h - 20) + '" font-size="10">0</text><text x="2" y="16" font-size="10">' + max.toFixed(2) + '</text></svg>';
}
function bars(rows) {
  const w = 520, bh = 16, max = Math.max(0.5, ...rows.map((r) => r.psi));
  return '<svg width="' + w + '" height="' + (rows.length * bh + 4) + '" role="img" aria-label="PSI by feature">' + rows.map((r, i) =>
    '<text x="0" y="' + (i * bh + 12) + '" font-size="11">' + esc(r.feature) + '</text><rect x="220" y="' + (i * bh + 2) + '" height="' + (bh - 4) + '" width="' + ((r.psi / max) * 280).toFixed(1) +
    '" fill="' + (r.psi > 0.25 ? '#d33' : '#90a4ae') + '"/><text x="' + (224 + (r.psi / max) * 280) + '" y="' + (i * bh + 12) + '" font-size="10">' + r.psi.toFixed(2) + '</text>').join('') + '</svg>';
}
function scoreHist(b) {
  if (!b) return '';
  const w = 520, h = 140, n = b.live.length, bw = (w - 40) / n, max = Math.max(...b.live, ...b.reference, 0.01);
  let s = '<svg width="' + w + '" height="' + h + '" role="img" aria-label="score distribution">';
  for (let i = 0; i < n; i++) {
    const hr = (b.reference[i] / max) * (h - 30), hl = (b.live[i] / max) * (h - 30);
    s += '<rect x="' + (30 + i * bw) + '" y="' + (h - 20 - hr) + '" width="' + (bw / 2 - 1) + '" height="' + hr + '" fill="#b0bec5"/>';
    s += '<rect x="' + (30 + i * bw + bw / 2) + '" y="' + (h - 20 - hl) + '" width="' + (bw / 2 - 1) + '" height="' + hl + '" fill="#2e7d32"/>';
  }
  return s + '<text x="34" y="12" font-size="11">grey: reference, green: live</text></svg>';
}
async function load() {
  const s = await (await fetch('api/v1/monitoring/summary')).json();
  document.getElementById('region').textContent = '(' + s.region + ')';
  document.getElementById('alerts').innerHTML = '<h2>Active alerts (' + s.alerts.length + ')</h2>' + (s.alerts.length ? '<table>' + s.alerts.map((a) => '<tr><td class="bad">' + esc(a.name) + '</td><td>' + esc(a.summary) + '</td></tr>').join('') + '</table>' : '<p>none</p>');
  const groups = {};
  for (const r of (s.drift ? s.drift.scores : [])) groups[r.modelVersion] = groups[r.modelVersion] || [];
  let html = '';
  for (const mv of Object.keys(groups)) {
    html += '<div class="card"><h2>Model version ' + esc(mv) + '</h2>';
    for (const sc of s.drift.scores.filter((r) => r.modelVersion === mv)) {
      const feats = s.drift.features.filter((f) => f.modelVersion === mv && f.region === sc.region).sort((a, b) => b.psi - a.psi).slice(0, 12);
      const hist = s.history.filter((p) => p.modelVersion === mv && p.region === sc.region);
      html += '<h3>' + esc(sc.region) + ' — ' + sc.n + ' served, score PSI ' + sc.psi.toFixed(3) + ', action-mix distance ' + (sc.actionMixDistance === null ? 'n/a' : sc.actionMixDistance.toFixed(3)) + '</h3>' +
        historyChart(hist) + '<h4>Top feature PSI</h4>' + bars(feats) + '<h4>Score distribution</h4>' + scoreHist(sc.scoreBins) +
        '<table><tr><th>feature</th><th>PSI</th><th>KS</th><th>missing</th><th>ref missing</th><th>default</th></tr>' + feats.map((f) =>
          '<tr><td>' + esc(f.feature) + '</td><td class="' + (f.psi > 0.25 ? 'bad' : '') + '">' + f.psi.toFixed(3) + '</td><td>' + f.ks.toFixed(3) + '</td><td>' + (f.missingRate * 100).toFixed(1) + '%</td><td>' + (f.referenceMissingRate * 100).toFixed(1) + '%</td><td>' + (f.defaultRate * 100).toFixed(1) + '%</td></tr>').join('') + '</table>';
    }
    const q = s.quality.matured.filter((r) => r.modelVersion === mv);
    if (q.length) html += '<h4>Matured-label quality</h4><table><tr><th>region</th><th>cohort</th><th>maturity</th><th>n</th><th>AUC</th><th>AP</th><th>false declines</th></tr>' + q.map((r) =>
      '<tr><td>' + esc(r.region) + '</td><td>' + esc(r.maturity.cohortFrom.slice(0, 10)) + '</td><td>' + r.maturity.maturityDays + ' d, ' + (r.maturity.explicitLabelShare * 100).toFixed(0) + '% labelled</td><td>' + r.n + '</td><td>' + (r.auc ?? NaN).toFixed(3) + '</td><td>' + (r.ap ?? NaN).toFixed(3) + '</td><td>' + ((r.falseDeclineRate ?? 0) * 100).toFixed(2) + '%</td></tr>').join('') + '</table>';
    html += '</div>';
  }
  document.getElementById('versions').innerHTML = html || '<p>No drift evaluation yet (no served vectors with a reference in the window).</p>';
  const imm = s.quality.immediate;
  document.getElementById('other').innerHTML = '<h2>Immediate quality</h2><table><tr><th>region</th><th>auth failures among allowed</th><th>step-up pass rate</th></tr>' + imm.map((r) =>
    '<tr><td>' + esc(r.region) + '</td><td>' + (r.authFailureRate === null ? 'n/a' : (r.authFailureRate * 100).toFixed(2) + '% of ' + r.allowedWithAuthOutcome) + '</td><td>' + (r.stepUpPassRate === null ? 'n/a' : (r.stepUpPassRate * 100).toFixed(1) + '% of ' + r.stepUpsCompleted) + '</td></tr>').join('') + '</table>' +
    '<h2>Consumer lag</h2><table><tr><th>group</th><th>topic</th><th>partition</th><th>lag</th><th>stalled polls</th></tr>' + s.freshness.lag.map((r) =>
      '<tr><td>' + esc(r.group) + '</td><td>' + esc(r.topic) + '</td><td>' + r.partition + '</td><td>' + r.lag + '</td><td class="' + (r.stalledFor ? 'bad' : '') + '">' + r.stalledFor + '</td></tr>').join('') + '</table>' +
    (s.skew ? '<h2>Training-serving skew (' + s.skew.sampled + ' sampled)</h2><table>' + s.skew.features.filter((f) => f.mismatches).map((f) => '<tr><td>' + esc(f.feature) + '</td><td class="bad">' + (f.mismatchRate * 100).toFixed(1) + '%</td><td>' + f.exampleRequestIds.map(esc).join(', ') + '</td></tr>').join('') + '</table>' : '');
}
load().catch((e) => { document.body.insertAdjacentHTML('beforeend', '<p class="bad">' + esc(e.message) + '</p>'); });
</script></body></html>`;
