(function () {
  'use strict';
  // The page is complete without this script; it adds filtering and drill-down only.
  document.documentElement.className += ' js';
  var data = JSON.parse(document.getElementById('hullcheck-data').textContent);
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

  // Drill-down: framework -> requirements -> controls and findings.
  var drill = document.getElementById('drill');
  var byId = {};
  data.frameworks.forEach(function (fw) { byId[fw.framework_id] = fw; });
  Array.prototype.forEach.call(document.querySelectorAll('#frameworks tr[data-framework]'), function (row) {
    row.addEventListener('click', function () { showFramework(byId[row.getAttribute('data-framework')]); });
  });
  function findingsFor(controlId) { return data.findings.filter(function (f) { return f.control_id === controlId; }); }
  function showFramework(fw) {
    if (!fw) return;
    drill.innerHTML = '';
    drill.appendChild(el('h2', { text: fw.title + ': requirements' }));
    var t = el('table', { id: 'requirements' }, [el('tr', {}, ['Requirement', 'Title', 'Status', 'Controls'].map(function (h) { return el('th', { text: h }); }))]);
    fw.requirements.forEach(function (r) {
      t.appendChild(el('tr', { 'class': 'clickable', 'data-requirement': r.requirement_id, onclick: function () { showRequirement(fw, r); } }, [
        el('td', {}, [el('code', { 'class': 'id', text: r.requirement_id })]), el('td', { text: r.title }), el('td', {}, [badge(r.status)]),
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
      box.appendChild(el('h3', {}, [el('code', { 'class': 'id', text: c.control_id }), document.createTextNode(' ' + (ctl ? ctl.title : '') + ' '), badge(c.status)]));
      var fs = findingsFor(c.control_id).filter(function (f) { return f.status !== 'pass' && f.status !== 'not_applicable'; });
      if (!fs.length) { box.appendChild(el('p', { 'class': 'muted', text: ctl && ctl.note ? ctl.note : 'No failing, waived or erroring findings.' })); return; }
      var t = el('table', {}, [el('tr', {}, ['Status', 'Subject', 'Message', 'Location'].map(function (h) { return el('th', { text: h }); }))]);
      fs.forEach(function (f) {
        t.appendChild(el('tr', { 'class': 'finding' }, [el('td', {}, [badge(f.status)]), el('td', { text: subjectText(f.subject) }), el('td', { text: f.message }), el('td', {}, [el('code', { 'class': 'loc', text: loc(f) })])]));
      });
      box.appendChild(t);
    });
  }

  // Filters hide the failing findings' rows the page already holds.
  var filters = { layer: '', framework: '', severity: '', namespace: '' };
  var rows = Array.prototype.slice.call(document.querySelectorAll('#failing tr.finding'));
  function apply() {
    var shown = 0;
    rows.forEach(function (r) {
      var ok = (!filters.layer || r.getAttribute('data-layer') === filters.layer) &&
        (!filters.severity || r.getAttribute('data-severity') === filters.severity) &&
        (!filters.namespace || r.getAttribute('data-namespace') === filters.namespace) &&
        (!filters.framework || (' ' + r.getAttribute('data-frameworks') + ' ').indexOf(' ' + filters.framework + ' ') >= 0);
      r.hidden = !ok;
      if (ok) shown += 1;
    });
    document.getElementById('failing-count').textContent = String(shown);
  }
  ['layer', 'framework', 'severity', 'namespace'].forEach(function (k) {
    var s = document.getElementById('filter-' + k);
    if (s) s.addEventListener('change', function () { filters[k] = s.value; apply(); });
  });
  document.body.setAttribute('data-ready', 'true');
})();
