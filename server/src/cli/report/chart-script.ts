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
  function num(x) { return Number(x).toLocaleString('en-US'); }
  var dark = window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches;
  var text = dark ? '#e6edf3' : '#1f2328';
  var theme = dark
    ? { low: '#1b2b40', high: '#79c0ff', diagonal: '#2d333b', onHigh: '#0d1117' }
    : { low: '#ddf4ff', high: '#0969da', diagonal: '#eaeef2', onHigh: '#ffffff' };
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
      grid: { left: 8, right: 60, top: 10, bottom: 30, containLabel: true },
      tooltip: { trigger: 'item', formatter: function (p) {
        var s = segs[p.dataIndex];
        return esc(s.name) + (s.title ? ' — ' + esc(s.title) : '') + '<br>' + num(s.size) + ' members (' + pct(s.share) + '), ' + esc(s.status);
      } },
      xAxis: { type: 'value', axisLabel: { color: text } },
      yAxis: { type: 'category', inverse: true, data: segs.map(function (s) { return s.name; }), axisLabel: { color: text } },
      series: [{ type: 'bar', data: segs.map(function (s) {
        return { value: s.size, itemStyle: { color: statusColor[s.status] || '#0969da' } };
      }), label: { show: true, position: 'right', color: text, formatter: function (p) { return pct(segs[p.dataIndex].share); } } }]
    });
    overlapHeatmap();
  }
  // Rows and columns in the same order (rows top to bottom, columns left to
  // right); the diagonal (a segment with itself) is its size, drawn in a
  // neutral colour outside the colour scale so it cannot wash out the pairs.
  function overlapHeatmap() {
    var names = segs.map(function (s) { return s.name; });
    var index = {};
    names.forEach(function (n, i) { index[n] = i; });
    var pairs = [];
    var max = 0;
    (data.overlaps || []).forEach(function (o) {
      var i = index[o.a], j = index[o.b];
      if (i === undefined || j === undefined || i === j) return;
      var smaller = Math.min(segs[i].size, segs[j].size);
      var share = smaller > 0 ? o.count / smaller : undefined;
      pairs.push([i, j, o.count, share]);
      pairs.push([j, i, o.count, share]);
      if (o.count > max) max = o.count;
    });
    var el = document.getElementById('chart-overlaps');
    if (!el) return;
    var n = names.length;
    el.style.width = Math.max(el.parentNode.clientWidth, 180 + n * 64) + 'px';
    el.style.height = (70 + n * 40 + 130) + 'px';
    var labelOn = function (v) { return max > 0 && v / max > 0.55 ? theme.onHigh : text; };
    chart('chart-overlaps', {
      grid: { left: 8, right: 16, top: 64, bottom: 8, containLabel: true },
      tooltip: { formatter: function (p) {
        var v = p.value;
        return v[0] === v[1] ? esc(names[v[0]]) + ': ' + num(v[2]) + ' members'
          : esc(names[v[1]]) + ' ∩ ' + esc(names[v[0]]) + ': ' + num(v[2]) + ' shared' + (v[3] === undefined ? '' : ' (' + pct(v[3]) + ' of the smaller)');
      } },
      xAxis: { type: 'category', data: names, position: 'bottom', axisLabel: { rotate: 45, color: text, interval: 0 }, splitArea: { show: false } },
      yAxis: { type: 'category', data: names, inverse: true, axisLabel: { color: text, interval: 0 } },
      visualMap: {
        type: 'continuous', seriesIndex: 0, dimension: 2, min: 0, max: Math.max(max, 1), calculable: false,
        orient: 'horizontal', left: 'center', top: 0, itemWidth: 12, itemHeight: 180,
        text: [num(max) + ' shared', '0'], textStyle: { color: text },
        inRange: { color: [theme.low, theme.high] }
      },
      series: [
        { name: 'shared', type: 'heatmap', data: pairs.map(function (p) {
          return { value: p, label: { color: labelOn(p[2]) } };
        }), label: { show: true, fontSize: 11, lineHeight: 13, formatter: function (p) {
          return num(p.value[2]) + (p.value[3] === undefined || p.value[2] === 0 ? '' : '\\n' + pct(p.value[3]));
        } } },
        { name: 'size', type: 'heatmap', itemStyle: { color: theme.diagonal }, data: segs.map(function (s, i) { return [i, i, s.size]; }),
          label: { show: true, fontSize: 11, color: text, fontStyle: 'italic', formatter: function (p) { return num(p.value[2]); } } }
      ]
    });
  }
  var cov = data.coverage || [];
  if (cov.length) {
    chart('chart-coverage', {
      grid: { left: 8, right: 60, top: 40, bottom: 8, containLabel: true },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } , formatter: function (ps) {
        var c = cov[ps[0].dataIndex];
        return esc(c.dataset) + '<br>' + num(c.covered) + ' of ' + num(c.rows) + ' rows in a segment (' + pct(c.rows ? c.covered / c.rows : 0) + ')';
      } },
      legend: { data: ['in a segment', 'in none'], top: 0, left: 'center', textStyle: { color: text } },
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
