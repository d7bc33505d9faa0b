/* Inline-SVG charts for the registry UI (no dependencies). Exposes window.RegistryCharts. */
(function () {
  'use strict';
  const COLORS = ['#2f54eb', '#e8590c'];
  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) { return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]; });
  }
  function fmt(n) { return Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(2); }

  /** series: [{ name, points: [{x,y}] }]; axes fixed to [0,1]. */
  function lineChart(opts) {
    const W = 360, H = 280, L = 44, R = 12, T = 12, B = 40;
    const pw = W - L - R, ph = H - T - B;
    const sx = function (x) { return L + x * pw; };
    const sy = function (y) { return T + (1 - y) * ph; };
    const out = ['<svg viewBox="0 0 ' + W + ' ' + H + '" role="img" aria-label="' + esc(opts.title) + '" data-chart="' + esc(opts.id) + '">'];
    for (let i = 0; i <= 5; i++) {
      const v = i / 5;
      out.push('<line x1="' + sx(0) + '" x2="' + sx(1) + '" y1="' + sy(v) + '" y2="' + sy(v) + '" stroke="#eaecf0"/>');
      out.push('<line y1="' + sy(0) + '" y2="' + sy(1) + '" x1="' + sx(v) + '" x2="' + sx(v) + '" stroke="#eaecf0"/>');
      out.push('<text x="' + (L - 6) + '" y="' + (sy(v) + 4) + '" font-size="10" text-anchor="end" fill="#667085">' + v.toFixed(1) + '</text>');
      out.push('<text x="' + sx(v) + '" y="' + (H - B + 14) + '" font-size="10" text-anchor="middle" fill="#667085">' + v.toFixed(1) + '</text>');
    }
    if (opts.diagonal) out.push('<line x1="' + sx(0) + '" y1="' + sy(0) + '" x2="' + sx(1) + '" y2="' + sy(1) + '" stroke="#98a2b3" stroke-dasharray="4 4"/>');
    opts.series.forEach(function (s, idx) {
      const pts = (s.points || []).slice().sort(function (a, b) { return a.x - b.x; });
      if (!pts.length) return;
      const d = pts.map(function (p, j) { return (j ? 'L' : 'M') + sx(p.x).toFixed(1) + ' ' + sy(p.y).toFixed(1); }).join(' ');
      out.push('<path d="' + d + '" fill="none" stroke="' + COLORS[idx % 2] + '" stroke-width="2.2"' + (idx ? ' stroke-dasharray="6 3"' : '') + '><title>' + esc(s.name) + '</title></path>');
    });
    out.push('<text x="' + (L + pw / 2) + '" y="' + (H - 6) + '" font-size="11" text-anchor="middle" fill="#344054">' + esc(opts.xLabel) + '</text>');
    out.push('<text transform="translate(12 ' + (T + ph / 2) + ') rotate(-90)" font-size="11" text-anchor="middle" fill="#344054">' + esc(opts.yLabel) + '</text>');
    out.push('</svg>');
    return out.join('');
  }

  /** Grouped horizontal bars: categories × series values (0..max). */
  function groupedBars(opts) {
    const cats = opts.categories;
    const W = 360, rowH = 30, T = 8, L = 120, R = 44;
    const H = T + cats.length * rowH + 20;
    let max = 0;
    opts.series.forEach(function (s) { cats.forEach(function (c) { const v = s.values[c]; if (typeof v === 'number' && v > max) max = v; }); });
    max = max || 1;
    const pw = W - L - R;
    const out = ['<svg viewBox="0 0 ' + W + ' ' + H + '" role="img" aria-label="' + esc(opts.title) + '" data-chart="' + esc(opts.id) + '">'];
    cats.forEach(function (c, i) {
      const y = T + i * rowH;
      out.push('<text x="' + (L - 8) + '" y="' + (y + 17) + '" font-size="11" text-anchor="end" fill="#344054">' + esc(c) + '</text>');
      opts.series.forEach(function (s, j) {
        const v = s.values[c];
        if (typeof v !== 'number') return;
        const w = Math.max(1, (v / max) * pw);
        const by = y + 4 + j * 11;
        out.push('<rect x="' + L + '" y="' + by + '" width="' + w.toFixed(1) + '" height="10" rx="2" fill="' + COLORS[j % 2] + '"><title>' + esc(s.name + ' · ' + c + ': ' + v) + '</title></rect>');
        out.push('<text x="' + (L + w + 4).toFixed(1) + '" y="' + (by + 9) + '" font-size="9" fill="#475467">' + fmt(v) + '</text>');
      });
    });
    out.push('</svg>');
    return out.join('');
  }

  window.RegistryCharts = { lineChart: lineChart, groupedBars: groupedBars, esc: esc };
})();
