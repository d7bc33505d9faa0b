/* Registry UI: vanilla JS over the JSON API. State lives in memory; the token in sessionStorage (this tab only). */
(function () {
  'use strict';
  const C = window.RegistryCharts;
  const esc = C.esc;
  const $ = function (id) { return document.getElementById(id); };
  let state = { token: sessionStorage.getItem('registry.token') || '', me: null, models: [], model: null, compare: [], audit: [], freezes: [] };

  function can(p) { return !!state.me && state.me.permissions.indexOf(p) >= 0; }

  function api(method, path, body) {
    const headers = { authorization: 'Bearer ' + state.token };
    if (body !== undefined) headers['content-type'] = 'application/json';
    return fetch(path, { method: method, headers: headers, body: body === undefined ? undefined : JSON.stringify(body) }).then(function (res) {
      return res.text().then(function (t) {
        let data = null;
        try { data = t ? JSON.parse(t) : null; } catch { data = null; }
        if (!res.ok) {
          const err = new Error((data && data.error && data.error.message) || ('HTTP ' + res.status));
          err.code = data && data.error && data.error.code;
          err.status = res.status;
          err.issues = data && data.error && data.error.issues;
          throw err;
        }
        return data;
      });
    });
  }

  function errText(e) {
    let s = e.message + (e.code ? ' [' + e.code + ']' : '');
    if (e.issues && e.issues.length) s += ': ' + e.issues.map(function (i) { return i.path + ' ' + i.message; }).join('; ');
    return s;
  }

  function banner(msg, bad) {
    const b = $('banner');
    b.textContent = msg;
    b.className = 'banner' + (bad ? ' bad' : '');
    b.hidden = false;
    clearTimeout(banner.t);
    banner.t = setTimeout(function () { b.hidden = true; }, bad ? 9000 : 5000);
  }

  function when(d) {
    if (!d) return '';
    const dt = new Date(d);
    return dt.toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
  }

  // ───────── auth ─────────
  function showLogin(msg) {
    $('login').hidden = false;
    $('app').hidden = true;
    $('who').hidden = true;
    $('login-error').textContent = msg || '';
    $('token').focus();
  }

  function signIn() {
    return api('GET', '/api/v1/me').then(function (me) {
      state.me = me;
      $('who-name').innerHTML = esc(me.principal) + '<span class="role">' + esc(me.role) + '</span>';
      $('who').hidden = false;
      $('login').hidden = true;
      $('app').hidden = false;
      return loadModels();
    });
  }

  $('login-form').addEventListener('submit', function (ev) {
    ev.preventDefault();
    state.token = $('token').value.trim();
    signIn().then(function () {
      sessionStorage.setItem('registry.token', state.token);
      $('token').value = '';
    }, function (e) { showLogin(e.status === 401 ? 'That token was not accepted (' + (e.code || 'UNAUTHENTICATED') + ').' : errText(e)); });
  });

  $('logout').addEventListener('click', function () {
    sessionStorage.removeItem('registry.token');
    state = { token: '', me: null, models: [], model: null, compare: [], audit: [], freezes: [] };
    showLogin('Signed out.');
  });

  // ───────── data ─────────
  function loadModels() {
    return api('GET', '/api/v1/models').then(function (models) {
      state.models = models;
      renderModelList();
      const name = (state.model && state.model.name) || (models[0] && models[0].name);
      if (name) return selectModel(name);
      $('model-view').hidden = true;
    });
  }

  function selectModel(name) {
    return Promise.all([
      api('GET', '/api/v1/models/' + encodeURIComponent(name)),
      api('GET', '/api/v1/audit?limit=50&model=' + encodeURIComponent(name)),
      api('GET', '/api/v1/freeze-windows'),
    ]).then(function (r) {
      const prevName = state.model && state.model.name;
      state.model = r[0];
      state.audit = r[1].entries;
      state.freezes = r[2];
      const ids = state.model.versions.map(function (v) { return v.id; });
      state.compare = prevName === name ? state.compare.filter(function (id) { return ids.indexOf(id) >= 0; }) : [];
      if (state.compare.length < 2) state.compare = ids.slice(0, 2).reverse();
      renderModelList();
      renderModel();
    });
  }

  function refresh() { return state.model ? selectModel(state.model.name) : loadModels(); }

  // ───────── render ─────────
  function renderModelList() {
    $('model-list').innerHTML = state.models.map(function (m) {
      const active = state.model && state.model.name === m.name ? ' class="active"' : '';
      return '<li><button type="button" data-model="' + esc(m.name) + '"' + active + '>' + esc(m.name) + '<span class="count">' + m.versionCount + '</span></button></li>';
    }).join('') || '<li class="empty">No models yet</li>';
  }

  $('model-list').addEventListener('click', function (ev) {
    const b = ev.target.closest('button[data-model]');
    if (b) selectModel(b.getAttribute('data-model')).catch(function (e) { banner(errText(e), true); });
  });

  function versionById(id) { return state.model.versions.filter(function (v) { return v.id === id; })[0]; }

  function activeFreeze(region) {
    const now = Date.now();
    return state.freezes.filter(function (f) {
      return Date.parse(f.startsAt) <= now && Date.parse(f.endsAt) > now && (!f.regions.length || f.regions.indexOf(region) >= 0);
    })[0];
  }

  function renderModel() {
    const m = state.model;
    $('model-view').hidden = false;
    $('model-name').textContent = m.name;
    $('model-desc').textContent = m.description || '';
    renderRegions();
    renderFreezes();
    renderRequests();
    renderVersions();
    renderCompare();
    renderTimeline();
    renderAudit();
  }

  function slot(label, s) {
    return '<div class="slot"><span>' + label + '</span><span class="v">' + (s ? 'v' + s.version + ' <span class="kv">since ' + esc(when(s.since)) + '</span>' : '<span class="muted">—</span>') + '</span></div>';
  }

  function renderRegions() {
    const m = state.model;
    const frozen = [];
    $('regions').innerHTML = m.regions.map(function (r) {
      const d = m.deployments[r] || {};
      const f = activeFreeze(r);
      if (f) frozen.push(r);
      const actions = can('rollback') && d.production
        ? '<div class="actions"><button type="button" class="small danger" data-action="rollback" data-region="' + esc(r) + '" data-testid="rollback-' + esc(r) + '">Roll back production</button></div>'
        : '';
      return '<div class="region" data-testid="region-' + esc(r) + '"><h3>' + esc(r) + (f ? '<span class="frozen" title="' + esc(f.reason) + '">❄ frozen: ' + esc(f.name) + '</span>' : '') + '</h3>' +
        slot('Production', d.production) + slot('Canary', d.canary) + slot('Shadow', d.shadow) + actions + '</div>';
    }).join('');
    $('freeze-note').textContent = frozen.length ? 'Frozen now: ' + frozen.join(', ') + '. Promotions there need an override with a reason.' : '';
  }

  function renderFreezes() {
    const now = Date.now();
    const rows = state.freezes.map(function (f) {
      const active = Date.parse(f.startsAt) <= now && Date.parse(f.endsAt) > now;
      const upcoming = Date.parse(f.startsAt) > now;
      const status = active ? '<span class="chip canary">active</span>' : upcoming ? '<span class="chip approved">scheduled</span>' : '<span class="chip archived">ended</span>';
      const btn = (active || upcoming) && can('freeze.manage') ? '<button type="button" class="small" data-action="freeze-end" data-id="' + f.id + '">End now</button>' : '';
      return '<tr><td>' + esc(f.name) + '</td><td>' + status + '</td><td class="when">' + esc(when(f.startsAt)) + '</td><td class="when">' + esc(when(f.endsAt)) + '</td><td>' + esc(f.regions.length ? f.regions.join(', ') : 'all regions') + '</td><td>' + esc(f.reason) + '</td><td>' + esc(f.createdBy) + '</td><td>' + btn + '</td></tr>';
    });
    const add = can('freeze.manage') ? '<p><button type="button" class="small" data-action="freeze-new" data-testid="freeze-new">Schedule a freeze…</button></p>' : '';
    $('freezes').innerHTML = (rows.length
      ? '<table><thead><tr><th>Name</th><th>Status</th><th>Starts</th><th>Ends</th><th>Regions</th><th>Reason</th><th>By</th><th></th></tr></thead><tbody>' + rows.join('') + '</tbody></table>'
      : '<p class="empty">No freezes scheduled.</p>') + add;
  }

  function renderRequests() {
    const reqs = state.model.requests.filter(function (r) { return r.status === 'pending' || r.status === 'approved'; });
    const recent = state.model.requests.filter(function (r) { return r.status !== 'pending' && r.status !== 'approved'; }).slice(0, 5);
    const rows = reqs.concat(recent).map(function (r) {
      const v = versionById(r.versionId);
      const btns = [];
      const mine = state.me.principal === r.requestedBy;
      if (r.status === 'pending' && can('promotion.approve')) {
        if (mine) btns.push('<span class="muted">awaiting another release manager</span>');
        else btns.push('<button type="button" class="small ok" data-action="approve" data-id="' + r.id + '" data-testid="approve-' + r.id + '">Approve</button> <button type="button" class="small" data-action="reject" data-id="' + r.id + '">Reject</button>');
      }
      if (r.status === 'approved' && can('promotion.execute')) btns.push('<button type="button" class="small primary" data-action="execute" data-id="' + r.id + '" data-testid="promote-' + r.id + '">Promote</button>');
      return '<tr data-testid="request-row"><td>v' + (v ? v.version : '?') + '</td><td>' + esc(r.region) + '</td><td><span class="chip ' + esc(r.targetStage) + '">' + esc(r.targetStage) + '</span></td>' +
        '<td><span class="chip ' + esc(r.status) + '">' + esc(r.status) + '</span></td><td>' + esc(r.requestedBy) + '</td><td>' + esc(r.approvedBy || '') + '</td><td>' + esc(r.reason) + '</td><td>' + btns.join(' ') + '</td></tr>';
    });
    $('requests').innerHTML = rows.length
      ? '<table><thead><tr><th>Version</th><th>Region</th><th>Target</th><th>Status</th><th>Requested by</th><th>Approved by</th><th>Reason</th><th></th></tr></thead><tbody>' + rows.join('') + '</tbody></table>'
      : '<p class="empty">No open requests.</p>';
  }

  function renderVersions() {
    const m = state.model;
    const rows = m.versions.map(function (v) {
      const s = v.metrics.summary || {};
      const chips = m.regions.map(function (r) { const st = v.stages[r] ? v.stages[r].stage : '—'; return '<span class="chip ' + esc(st) + '" title="' + esc(r) + '">' + esc(r) + ': ' + esc(st) + '</span>'; }).join('');
      const checked = state.compare.indexOf(v.id) >= 0 ? ' checked' : '';
      const actions = [];
      if (can('promotion.request')) actions.push('<button type="button" class="small" data-action="request" data-id="' + v.id + '" data-testid="request-v' + v.version + '">Request promotion</button>');
      if (can('stage.transition')) actions.push('<button type="button" class="small" data-action="transition" data-id="' + v.id + '">Change stage…</button>');
      return '<tr><td><input type="checkbox" data-compare="' + v.id + '" data-testid="compare-v' + v.version + '"' + checked + ' aria-label="compare v' + v.version + '"></td>' +
        '<td><strong>v' + v.version + '</strong><div class="kv">' + esc(v.description || '') + '</div></td>' +
        '<td class="num">' + (s.auc != null ? s.auc.toFixed(3) : '—') + '</td><td class="num">' + (s.prAuc != null ? s.prAuc.toFixed(3) : '—') + '</td>' +
        '<td>' + chips + '</td><td><span class="chip ' + (v.artifact.status === 'verified' ? 'production' : 'pending') + '" title="sha256 ' + esc(v.artifact.sha256) + '">' + esc(v.artifact.status) + '</span></td>' +
        '<td class="kv">' + esc(v.lineage.trainingJobId) + '<br>' + esc(v.lineage.featureSetName) + '@' + esc(v.lineage.featureSetVersion) + ' · ' + esc(v.lineage.codeCommit) + '<br>' + esc(v.policyVersion) + '</td>' +
        '<td class="kv">' + esc(v.createdBy) + '<br>' + esc(when(v.createdAt)) + '</td><td>' + actions.join(' ') + '</td></tr>';
    });
    $('versions').innerHTML = '<table><thead><tr><th></th><th>Version</th><th class="num">AUC</th><th class="num nowrap">PR-AUC</th><th>Stage per region</th><th>Artifact</th><th>Lineage</th><th>Created</th><th></th></tr></thead><tbody>' + rows.join('') + '</tbody></table>';
  }

  $('versions').addEventListener('change', function (ev) {
    const id = ev.target.getAttribute && ev.target.getAttribute('data-compare');
    if (!id) return;
    const i = state.compare.indexOf(id);
    if (ev.target.checked && i < 0) state.compare.push(id);
    if (!ev.target.checked && i >= 0) state.compare.splice(i, 1);
    if (state.compare.length > 2) state.compare = state.compare.slice(-2);
    renderVersions();
    renderCompare();
  });

  function renderCompare() {
    const vs = state.compare.map(versionById).filter(Boolean);
    if (vs.length < 2) {
      $('compare-title').textContent = '';
      $('compare').innerHTML = '<p class="empty">Tick two versions above to compare their metrics.</p>';
      return;
    }
    const a = vs[0], b = vs[1];
    $('compare-title').textContent = 'v' + a.version + ' vs v' + b.version;
    const keys = Object.keys(a.metrics.summary || {}).concat(Object.keys(b.metrics.summary || {})).filter(function (k, i, arr) { return arr.indexOf(k) === i; });
    const lowerIsBetter = /rate|latency|loss|ms$/i;
    const rows = keys.map(function (k) {
      const x = a.metrics.summary[k], y = b.metrics.summary[k];
      const d = (typeof x === 'number' && typeof y === 'number') ? y - x : null;
      const better = d == null || d === 0 ? '' : ((d > 0) !== lowerIsBetter.test(k) ? 'up' : 'down');
      return '<tr><td>' + esc(k) + '</td><td class="num">' + (x != null ? x.toFixed(4) : '—') + '</td><td class="num">' + (y != null ? y.toFixed(4) : '—') + '</td><td class="num delta ' + better + '">' + (d != null ? (d > 0 ? '+' : '') + d.toFixed(4) : '') + '</td></tr>';
    });
    const segNames = (a.metrics.segments || []).concat(b.metrics.segments || []).map(function (s) { return s.name; }).filter(function (n, i, arr) { return arr.indexOf(n) === i; });
    const segMetric = 'recall';
    const segVals = function (v) { const o = {}; (v.metrics.segments || []).forEach(function (s) { o[s.name] = s.values[segMetric]; }); return o; };
    const legend = '<div class="legend"><span><span class="sw a"></span>v' + a.version + '</span><span><span class="sw b"></span>v' + b.version + '</span></div>';
    $('compare').innerHTML =
      '<table data-testid="compare-table"><thead><tr><th>Metric</th><th class="num">v' + a.version + '</th><th class="num">v' + b.version + '</th><th class="num">Δ (v' + b.version + ' − v' + a.version + ')</th></tr></thead><tbody>' + rows.join('') + '</tbody></table>' +
      '<div class="charts">' +
      '<div class="chart"><h3>ROC curve</h3>' + C.lineChart({ id: 'roc', title: 'ROC curve', xLabel: 'False positive rate', yLabel: 'True positive rate', diagonal: true, series: [{ name: 'v' + a.version, points: a.metrics.roc }, { name: 'v' + b.version, points: b.metrics.roc }] }) + legend + '</div>' +
      '<div class="chart"><h3>Precision–recall curve</h3>' + C.lineChart({ id: 'pr', title: 'Precision-recall curve', xLabel: 'Recall', yLabel: 'Precision', series: [{ name: 'v' + a.version, points: a.metrics.pr }, { name: 'v' + b.version, points: b.metrics.pr }] }) + legend + '</div>' +
      (segNames.length ? '<div class="chart"><h3>Recall by segment</h3>' + C.groupedBars({ id: 'segments', title: 'Recall by segment', categories: segNames, series: [{ name: 'v' + a.version, values: segVals(a) }, { name: 'v' + b.version, values: segVals(b) }] }) + legend + '</div>' : '') +
      '</div>';
  }

  function renderTimeline() {
    const steps = state.model.rollout || [];
    $('timeline').innerHTML = steps.length
      ? '<table><thead><tr><th>When</th><th>Version</th><th>Region</th><th>Step</th><th class="num">Traffic</th><th>Status</th><th>By</th></tr></thead><tbody>' + steps.map(function (s) {
        const v = versionById(s.versionId);
        return '<tr><td class="when">' + esc(when(s.createdAt)) + '</td><td>v' + (v ? v.version : '?') + '</td><td>' + esc(s.region) + '</td><td>' + esc(s.step) + '</td><td class="num">' + (s.trafficPercent != null ? s.trafficPercent + '%' : '') + '</td><td>' + esc(s.status) + '</td><td>' + esc(s.actor) + '</td></tr>';
      }).join('') + '</tbody></table>'
      : '<p class="empty">No rollout steps yet. The canary controller records its steps here.</p>';
  }

  function auditSummary(e) {
    const d = e.details || {};
    switch (e.action) {
      case 'stage.changed': return 'v' + d.version + ': ' + d.from + ' → ' + d.to + ' (' + d.via + ') — ' + (d.reason || '');
      case 'promotion.requested': return d.targetStage + ' requested — ' + (d.reason || '');
      case 'promotion.approved': return d.targetStage + ' approved (requested by ' + d.requestedBy + ')' + (d.comment ? ' — ' + d.comment : '');
      case 'promotion.rejected': return d.targetStage + ' rejected' + (d.comment ? ' — ' + d.comment : '');
      case 'promotion.executed': return 'promoted to ' + d.targetStage;
      case 'rollback': return 'rolled back v' + d.from + ' → v' + d.to + ' — ' + d.reason;
      case 'freeze.overridden': return 'freeze overridden — ' + d.reason;
      case 'version.registered': return 'registered v' + d.version + ' from ' + d.trainingJobId + ' (sha256 ' + String(d.artifactSha256).slice(0, 12) + '…)';
      case 'artifact.uploaded': return 'artifact verified (sha256 ' + String(d.sha256).slice(0, 12) + '…, ' + d.sizeBytes + ' B, ' + d.store + ')';
      case 'artifact.rejected': return 'artifact REJECTED: checksum mismatch';
      case 'model.created': return 'model ' + d.name + ' created';
      case 'rollout.step': return d.step + ' ' + d.status + (d.trafficPercent != null ? ' at ' + d.trafficPercent + '%' : '');
      case 'freeze.created': return 'freeze ' + d.name + ' ' + when(d.startsAt) + ' → ' + when(d.endsAt);
      case 'access.denied': return 'denied: ' + d.permission + (d.reason ? ' (' + d.reason + ')' : '');
      default: return JSON.stringify(d).slice(0, 140);
    }
  }

  function renderAudit() {
    $('audit').innerHTML = state.audit.length
      ? '<table><thead><tr><th>When</th><th>Who</th><th>Action</th><th>Region</th><th>Details</th></tr></thead><tbody>' + state.audit.map(function (e) {
        return '<tr data-testid="audit-row"><td class="when">' + esc(when(e.createdAt)) + '</td><td>' + esc(e.actor) + ' <span class="kv">' + esc(e.actorRole) + '</span></td><td>' + esc(e.action) + '</td><td>' + esc(e.region || '') + '</td><td>' + esc(auditSummary(e)) + '</td></tr>';
      }).join('') + '</tbody></table>'
      : '<p class="empty">No audit entries.</p>';
  }

  // ───────── dialogs ─────────
  let pending = null;
  function openDialog(title, bodyHtml, confirmLabel, confirmClass, onConfirm) {
    $('dialog-title').textContent = title;
    $('dialog-body').innerHTML = bodyHtml;
    $('dialog-error').textContent = '';
    $('dialog-confirm').textContent = confirmLabel;
    $('dialog-confirm').className = confirmClass || 'primary';
    pending = onConfirm;
    $('dialog').showModal();
    const first = $('dialog-body').querySelector('select, textarea, input');
    if (first) first.focus();
  }
  $('dialog-cancel').addEventListener('click', function () { $('dialog').close(); });
  $('dialog-form').addEventListener('submit', function (ev) {
    ev.preventDefault();
    if (!pending) return;
    const btn = $('dialog-confirm');
    btn.disabled = true;
    Promise.resolve().then(pending).then(function (msg) {
      $('dialog').close();
      if (msg) banner(msg);
      return refresh();
    }, function (e) { $('dialog-error').textContent = errText(e); }).then(function () { btn.disabled = false; });
  });

  function val(id) { const el = $(id); return el ? el.value.trim() : ''; }
  function regionOptions() { return state.model.regions.map(function (r) { return '<option value="' + esc(r) + '">' + esc(r) + '</option>'; }).join(''); }

  document.addEventListener('click', function (ev) {
    const b = ev.target.closest && ev.target.closest('button[data-action]');
    if (!b || !state.model) return;
    const action = b.getAttribute('data-action');
    const id = b.getAttribute('data-id');
    const v = id ? versionById(id) : null;
    const req = id ? state.model.requests.filter(function (r) { return r.id === id; })[0] : null;
    if (action === 'request' && v) {
      openDialog('Request promotion of v' + v.version,
        '<label for="f-region">Region</label><select id="f-region" data-testid="f-region">' + regionOptions() + '</select>' +
        '<label for="f-target">Target stage</label><select id="f-target" data-testid="f-target"><option value="canary">canary</option><option value="production">production</option></select>' +
        '<label for="f-reason">Why?</label><textarea id="f-reason" rows="3" data-testid="f-reason" placeholder="Evidence and rationale"></textarea>' +
        '<p class="summary-line">Another release manager must approve before it can be promoted.</p>',
        'Submit request', 'primary', function () {
          return api('POST', '/api/v1/versions/' + v.id + '/promotion-requests', { region: val('f-region'), targetStage: val('f-target'), reason: val('f-reason'), evidence: { summary: v.metrics.summary } })
            .then(function () { return 'Promotion of v' + v.version + ' requested.'; });
        });
    } else if (action === 'transition' && v) {
      openDialog('Change stage of v' + v.version,
        '<label for="f-region">Region</label><select id="f-region">' + regionOptions() + '</select>' +
        '<label for="f-to">New stage</label><select id="f-to"><option value="shadow">shadow</option><option value="candidate">candidate</option><option value="archived">archived</option></select>' +
        '<label for="f-reason">Why?</label><textarea id="f-reason" rows="3"></textarea>',
        'Change stage', 'primary', function () {
          return api('POST', '/api/v1/versions/' + v.id + '/transitions', { region: val('f-region'), toStage: val('f-to'), reason: val('f-reason') }).then(function (r) { return 'v' + v.version + ': ' + r.from + ' → ' + r.to; });
        });
    } else if ((action === 'approve' || action === 'reject') && req) {
      const rv = versionById(req.versionId);
      openDialog((action === 'approve' ? 'Approve' : 'Reject') + ' ' + req.targetStage + ' for v' + (rv ? rv.version : '?') + ' in ' + req.region,
        '<p>Requested by <strong>' + esc(req.requestedBy) + '</strong>: ' + esc(req.reason) + '</p><label for="f-comment">Comment</label><textarea id="f-comment" rows="2" data-testid="f-comment"></textarea>',
        action === 'approve' ? 'Approve' : 'Reject', action === 'approve' ? 'ok' : 'danger', function () {
          return api('POST', '/api/v1/promotion-requests/' + req.id + '/' + action, { comment: val('f-comment') }).then(function () { return 'Request ' + (action === 'approve' ? 'approved' : 'rejected') + '.'; });
        });
    } else if (action === 'execute' && req) {
      const ev2 = versionById(req.versionId);
      const f = activeFreeze(req.region);
      const cur = (state.model.deployments[req.region] || {})[req.targetStage];
      openDialog('Promote v' + (ev2 ? ev2.version : '?') + ' to ' + req.targetStage + ' in ' + req.region + '?',
        '<p>' + (cur ? 'This replaces <strong>v' + cur.version + '</strong> as ' + esc(req.targetStage) + ' in ' + esc(req.region) + '.' : 'Nothing is ' + esc(req.targetStage) + ' in ' + esc(req.region) + ' yet.') + '</p>' +
        '<p class="kv">Requested by ' + esc(req.requestedBy) + ', approved by ' + esc(req.approvedBy) + '.</p>' +
        (f ? '<p class="frozen">❄ ' + esc(f.name) + ' freeze is active in ' + esc(req.region) + '.</p>' + (can('freeze.override') ? '<label for="f-override">Override reason (required during a freeze)</label><textarea id="f-override" rows="2"></textarea>' : '') : ''),
        'Promote', 'primary', function () {
          const body = {};
          if (f && val('f-override')) body.freezeOverride = { reason: val('f-override') };
          return api('POST', '/api/v1/promotion-requests/' + req.id + '/execute', body).then(function (r) { return 'v' + r.version + ' is now ' + r.to + ' in ' + r.region + '.'; });
        });
    } else if (action === 'freeze-new') {
      const pad = function (d) { return new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 16); };
      const start = new Date();
      openDialog('Schedule a peak-event freeze',
        '<label for="f-name">Name</label><input id="f-name" placeholder="e.g. Black Friday">' +
        '<label for="f-start">Starts (your local time)</label><input id="f-start" type="datetime-local" value="' + pad(start) + '">' +
        '<label for="f-end">Ends (your local time)</label><input id="f-end" type="datetime-local" value="' + pad(new Date(start.getTime() + 86400000)) + '">' +
        '<label>Regions (none ticked = all)</label>' + state.model.regions.map(function (r) { return '<label class="inline"><input type="checkbox" class="f-region" value="' + esc(r) + '"> ' + esc(r) + '</label>'; }).join('') +
        '<label for="f-reason">Why?</label><textarea id="f-reason" rows="2"></textarea>',
        'Schedule freeze', 'primary', function () {
          const regions = Array.prototype.slice.call(document.querySelectorAll('.f-region:checked')).map(function (el) { return el.value; });
          const iso = function (id) { const v = val(id); return v ? new Date(v).toISOString() : ''; };
          return api('POST', '/api/v1/freeze-windows', { name: val('f-name'), startsAt: iso('f-start'), endsAt: iso('f-end'), regions: regions, reason: val('f-reason') }).then(function (f) { return 'Freeze ' + f.name + ' scheduled.'; });
        });
    } else if (action === 'freeze-end') {
      const fz = state.freezes.filter(function (x) { return x.id === id; })[0];
      if (!fz) return;
      openDialog('End the ' + fz.name + ' freeze now?', '<p>Promotions in ' + esc(fz.regions.length ? fz.regions.join(', ') : 'all regions') + ' will no longer need an override.</p>', 'End freeze', 'danger', function () {
        return api('DELETE', '/api/v1/freeze-windows/' + fz.id).then(function () { return 'Freeze ' + fz.name + ' ended.'; });
      });
    } else if (action === 'rollback') {
      const region = b.getAttribute('data-region');
      const d = state.model.deployments[region] || {};
      openDialog('Roll back production in ' + region + '?',
        '<p>v' + (d.production ? d.production.version : '?') + ' will be archived and the previous production version restored immediately.</p><label for="f-reason">Why?</label><textarea id="f-reason" rows="3" data-testid="f-reason"></textarea>',
        'Roll back', 'danger', function () {
          return api('POST', '/api/v1/models/' + encodeURIComponent(state.model.name) + '/regions/' + encodeURIComponent(region) + '/rollback', { reason: val('f-reason') })
            .then(function (r) { return 'Rolled back ' + region + ': v' + r.rolledBackVersion + ' → v' + r.restoredVersion + '.'; });
        });
    }
  });

  // ───────── boot ─────────
  if (state.token) signIn().catch(function () { showLogin(); });
  else showLogin();
})();
