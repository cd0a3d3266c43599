/**
 * The report's chart code, inlined as a plain browser script after echarts.
 * It reads the data from the JSON block (never from HTML) and escapes every
 * name in tooltips, which echarts renders as HTML.
 */
export const CHART_SCRIPT = `(function () {
  'use strict';
  var dataEl = document.getElementById('segspec-data');
  if (!dataEl || typeof echarts === 'undefined') return;
  var data = JSON.parse(dataEl.textContent || '{}');
  function esc(v) {
    return String(v).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }
  function pct(x) { return (x * 100).toFixed(1) + '%'; }
  var dark = window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches;
  var text = dark ? '#e6edf3' : '#1f2328';
  var charts = [];
  function chart(id, option) {
    var el = document.getElementById(id);
    if (!el) return;
    var c = echarts.init(el, null, { renderer: 'svg' });
    option.textStyle = { color: text };
    option.animation = false;
    c.setOption(option);
    charts.push(c);
  }
  var statusColor = { ok: '#2da44e', draft: '#8c959f', empty: '#bf8700', failing: '#cf222e' };
  var segs = data.segments || [];
  if (segs.length) {
    chart('chart-sizes', {
      grid: { left: 140, right: 60, top: 10, bottom: 30 },
      tooltip: { trigger: 'item', formatter: function (p) {
        var s = segs[p.dataIndex];
        return esc(s.name) + (s.title ? ' — ' + esc(s.title) : '') + '<br>' + esc(s.size) + ' members (' + pct(s.share) + '), ' + esc(s.status);
      } },
      xAxis: { type: 'value', axisLabel: { color: text } },
      yAxis: { type: 'category', inverse: true, data: segs.map(function (s) { return s.name; }), axisLabel: { color: text } },
      series: [{ type: 'bar', data: segs.map(function (s) {
        return { value: s.size, itemStyle: { color: statusColor[s.status] || '#0969da' } };
      }), label: { show: true, position: 'right', color: text, formatter: function (p) { return pct(segs[p.dataIndex].share); } } }]
    });
    var names = segs.map(function (s) { return s.name; });
    var index = {};
    names.forEach(function (n, i) { index[n] = i; });
    var cells = [];
    var max = 1;
    segs.forEach(function (s, i) { cells.push([i, i, s.size]); if (s.size > max) max = s.size; });
    (data.overlaps || []).forEach(function (o) {
      var i = index[o.a], j = index[o.b];
      if (i === undefined || j === undefined || i === j) return;
      cells.push([i, j, o.count]);
      cells.push([j, i, o.count]);
    });
    chart('chart-overlaps', {
      grid: { left: 140, right: 20, top: 10, bottom: 120 },
      tooltip: { formatter: function (p) {
        var v = p.value;
        return v[0] === v[1] ? esc(names[v[0]]) + ': ' + esc(v[2]) + ' members'
          : esc(names[v[0]]) + ' ∩ ' + esc(names[v[1]]) + ': ' + esc(v[2]) + ' shared';
      } },
      xAxis: { type: 'category', data: names, axisLabel: { rotate: 45, color: text } },
      yAxis: { type: 'category', data: names, inverse: true, axisLabel: { color: text } },
      visualMap: { min: 0, max: max, show: false, inRange: { color: ['#f6f8fa', '#0969da'] } },
      series: [{ type: 'heatmap', data: cells, label: { show: names.length <= 12 } }]
    });
  }
  var cov = data.coverage || [];
  if (cov.length) {
    chart('chart-coverage', {
      grid: { left: 140, right: 60, top: 10, bottom: 30 },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } , formatter: function (ps) {
        var c = cov[ps[0].dataIndex];
        return esc(c.dataset) + '<br>' + esc(c.covered) + ' of ' + esc(c.rows) + ' rows in a segment';
      } },
      legend: { data: ['in a segment', 'in none'], bottom: 0, textStyle: { color: text } },
      xAxis: { type: 'value', axisLabel: { color: text } },
      yAxis: { type: 'category', data: cov.map(function (c) { return c.dataset; }), axisLabel: { color: text } },
      series: [
        { name: 'in a segment', type: 'bar', stack: 'rows', itemStyle: { color: '#2da44e' }, data: cov.map(function (c) { return c.covered; }) },
        { name: 'in none', type: 'bar', stack: 'rows', itemStyle: { color: '#8c959f' }, data: cov.map(function (c) { return c.rows - c.covered; }) }
      ]
    });
  }
  window.addEventListener('resize', function () { charts.forEach(function (c) { c.resize(); }); });
})();
`;
