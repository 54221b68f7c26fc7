(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('hullcheck-data').textContent);
  var STATUSES = ['pass', 'fail', 'waived', 'not_applicable', 'not_assessed', 'error'];
  var LABEL = { pass: 'pass', fail: 'fail', waived: 'waived', not_applicable: 'n/a', not_assessed: 'not assessed', error: 'error' };

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'text') e.textContent = attrs[k];
      else if (k === 'onclick') e.addEventListener('click', attrs[k]);
      else e.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) e.appendChild(c); });
    return e;
  }
  function badge(status) { return el('span', { 'class': 'badge s-' + status, text: LABEL[status] || status }); }
  function subjectText(s) {
    var parts = [s.kind, s.namespace, s.name].filter(Boolean).join('/');
    return s.container ? parts + ' (container ' + s.container + ')' : (parts || '(no subject)');
  }
  function loc(f) { return f.location.file + ':' + f.location.line; }

  // Summary cards.
  var sum = data.summary;
  var cards = document.getElementById('cards');
  [['documents', sum.documents], ['document-errors', sum.document_errors]].concat(STATUSES.map(function (s) { return [s, sum.findings[s]]; }))
    .forEach(function (p) {
      cards.appendChild(el('div', { 'class': 'card' }, [
        el('div', { 'class': 'n', id: 'count-' + p[0], text: String(p[1]) }),
        el('div', { 'class': 'l', text: p[0] === 'document-errors' ? 'document errors' : (LABEL[p[0]] || p[0]) + (STATUSES.indexOf(p[0]) >= 0 ? ' findings' : '') }),
      ]));
    });

  // Framework coverage bars with drill-down.
  var fwBody = document.getElementById('frameworks');
  var drill = document.getElementById('drill');
  data.frameworks.forEach(function (fw) {
    var touched = fw.requirements.length;
    var bar = el('div', { 'class': 'bar', title: fw.counts.pass + ' pass, ' + fw.counts.fail + ' fail, ' + fw.counts.not_assessed + ' not assessed' });
    ['pass', 'fail', 'waived', 'not_assessed', 'error'].forEach(function (s) {
      var n = fw.counts[s] || 0;
      if (n) bar.appendChild(el('span', { 'class': 's-' + s, style: 'width:' + (100 * n / Math.max(1, fw.requirement_count)) + '%' }));
    });
    var row = el('tr', { 'class': 'clickable', 'data-framework': fw.framework_id, onclick: function () { showFramework(fw); } }, [
      el('td', {}, [el('strong', { text: fw.title }), el('div', { 'class': 'muted', text: fw.framework_id })]),
      el('td', {}, [badge(fw.status)]),
      el('td', {}, [bar]),
      el('td', { text: touched + ' of ' + fw.requirement_count + ' (' + fw.counts.pass + ' pass, ' + fw.counts.fail + ' fail)' }),
    ]);
    fwBody.appendChild(row);
  });

  function findingsFor(controlId) { return data.findings.filter(function (f) { return f.control_id === controlId; }); }
  function showFramework(fw) {
    drill.innerHTML = '';
    drill.appendChild(el('h2', { text: fw.title + ': requirements' }));
    var t = el('table', { id: 'requirements' }, [el('tr', {}, ['Requirement', 'Title', 'Status', 'Controls'].map(function (h) { return el('th', { text: h }); }))]);
    fw.requirements.forEach(function (r) {
      t.appendChild(el('tr', { 'class': 'clickable', 'data-requirement': r.requirement_id, onclick: function () { showRequirement(fw, r); } }, [
        el('td', {}, [el('code', { text: r.requirement_id })]), el('td', { text: r.title }), el('td', {}, [badge(r.status)]),
        el('td', { text: r.controls.map(function (c) { return c.control_id; }).join(', ') }),
      ]));
    });
    drill.appendChild(t);
    drill.appendChild(el('div', { id: 'requirement-detail' }));
    drill.scrollIntoView();
  }
  function showRequirement(fw, r) {
    var box = document.getElementById('requirement-detail');
    box.innerHTML = '';
    box.className = 'drill';
    box.appendChild(el('h2', { text: fw.framework_id + ' ' + r.requirement_id + ': controls and findings' }));
    r.controls.forEach(function (c) {
      var ctl = data.controls.find(function (x) { return x.control_id === c.control_id; });
      box.appendChild(el('h3', {}, [el('code', { text: c.control_id }), document.createTextNode(' ' + (ctl ? ctl.title : '') + ' '), badge(c.status)]));
      var fs = findingsFor(c.control_id).filter(function (f) { return f.status !== 'pass' && f.status !== 'not_applicable'; });
      if (!fs.length) { box.appendChild(el('p', { 'class': 'muted', text: ctl && ctl.note ? ctl.note : 'No failing, waived or erroring findings.' })); return; }
      var t = el('table', {}, [el('tr', {}, ['Status', 'Subject', 'Message', 'Location'].map(function (h) { return el('th', { text: h }); }))]);
      fs.forEach(function (f) {
        t.appendChild(el('tr', { 'class': 'finding' }, [el('td', {}, [badge(f.status)]), el('td', { text: subjectText(f.subject) }), el('td', { text: f.message }), el('td', {}, [el('code', { text: loc(f) })])]));
      });
      box.appendChild(t);
    });
  }

  // Layer x status heat map over findings.
  var layers = Array.from(new Set(data.findings.map(function (f) { return f.layer; }).concat(data.controls.map(function (c) { return c.layer; })))).sort();
  var heat = document.getElementById('heat');
  var max = 1;
  var counts = {};
  layers.forEach(function (l) { counts[l] = {}; STATUSES.forEach(function (s) { counts[l][s] = 0; }); });
  data.findings.forEach(function (f) { counts[f.layer][f.status] += 1; max = Math.max(max, counts[f.layer][f.status]); });
  heat.appendChild(el('tr', {}, [el('th', { text: 'layer' })].concat(STATUSES.map(function (s) { return el('th', { text: LABEL[s] }); }))));
  var COLORS = { pass: '46,125,50', fail: '198,40,40', waived: '106,27,154', not_applicable: '144,164,174', not_assessed: '249,168,37', error: '239,108,0' };
  layers.forEach(function (l) {
    heat.appendChild(el('tr', {}, [el('th', { text: l })].concat(STATUSES.map(function (s) {
      var n = counts[l][s];
      var a = n ? 0.15 + 0.85 * n / max : 0;
      return el('td', { 'class': 'cell', 'data-layer': l, 'data-status': s, style: 'background: rgba(' + COLORS[s] + ',' + a.toFixed(2) + '); color: ' + (a > 0.55 ? '#fff' : 'inherit'), text: String(n) });
    }))));
  });

  // Failing findings with filters.
  var failing = data.findings.filter(function (f) { return f.status === 'fail'; });
  var filters = { layer: '', framework: '', severity: '', namespace: '' };
  function options(id, values) {
    var s = document.getElementById(id);
    values.forEach(function (v) { s.appendChild(el('option', { value: v, text: v })); });
    s.addEventListener('change', function () { filters[id.replace('filter-', '')] = s.value; renderFailing(); });
  }
  options('filter-layer', Array.from(new Set(failing.map(function (f) { return f.layer; }))).sort());
  options('filter-framework', data.frameworks.map(function (f) { return f.framework_id; }));
  options('filter-severity', ['critical', 'high', 'medium', 'low', 'info'].filter(function (s) { return failing.some(function (f) { return f.severity === s; }); }));
  options('filter-namespace', Array.from(new Set(failing.map(function (f) { return f.subject.namespace || '(none)'; }))).sort());
  function renderFailing() {
    var body = document.getElementById('failing');
    body.innerHTML = '';
    var shown = failing.filter(function (f) {
      return (!filters.layer || f.layer === filters.layer) && (!filters.severity || f.severity === filters.severity) &&
        (!filters.namespace || (f.subject.namespace || '(none)') === filters.namespace) &&
        (!filters.framework || (data.control_frameworks[f.control_id] || []).indexOf(filters.framework) >= 0);
    });
    shown.forEach(function (f) {
      body.appendChild(el('tr', { 'class': 'finding' }, [
        el('td', {}, [el('span', { 'class': 'badge s-fail', text: f.severity })]), el('td', {}, [el('code', { text: f.control_id })]),
        el('td', { text: f.layer }), el('td', { text: subjectText(f.subject) }), el('td', { text: f.message }), el('td', {}, [el('code', { text: loc(f) })]),
      ]));
    });
    document.getElementById('failing-count').textContent = String(shown.length);
  }
  renderFailing();

  // Waivers and document errors.
  var wBody = document.getElementById('waivers');
  data.waivers.forEach(function (w) {
    wBody.appendChild(el('tr', { 'class': 'waiver', 'data-state': w.state }, [
      el('td', {}, [el('code', { text: w.control_id })]), el('td', { text: JSON.stringify(w.subject) }), el('td', { text: w.owner }),
      el('td', { text: w.expires }), el('td', {}, [el('span', { 'class': 'badge ' + (w.state === 'applied' ? 's-waived' : 's-not_assessed'), text: w.state })]),
      el('td', { text: String(w.findings.length) }),
    ]));
  });
  if (!data.waivers.length) wBody.appendChild(el('tr', {}, [el('td', { colspan: '6', 'class': 'muted', text: 'No waivers were given.' })]));
  var dBody = document.getElementById('doc-errors');
  data.documents.filter(function (d) { return d.error; }).forEach(function (d) {
    dBody.appendChild(el('tr', {}, [el('td', {}, [el('code', { text: d.file + ':' + (d.error.line || d.line) })]), el('td', {}, [el('code', { text: d.error.code })]), el('td', { text: d.error.message })]));
  });
  document.body.setAttribute('data-ready', 'true');
})();
