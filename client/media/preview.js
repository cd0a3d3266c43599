// The segment preview page. Receives PreviewData (server/src/lsp/protocol.ts)
// from the extension and draws it. Every value from the data goes into the page
// through textContent or escapeHtml: segment titles and sample values are user
// data and must never become markup.
/* global acquireVsCodeApi, echarts */
(function () {
  'use strict';
  const vscode = acquireVsCodeApi();
  const app = document.getElementById('app');
  const charts = [];
  let current;

  function escapeHtml(value) {
    return String(value).replace(/[&<>"']/g, (c) => '&#' + c.charCodeAt(0) + ';');
  }
  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === 'text') node.textContent = v;
      else if (k === 'onclick') node.addEventListener('click', v);
      else if (k === 'style') node.style.cssText = v; // CSSOM: allowed by the CSP, unlike a style attribute
      else node.setAttribute(k, v);
    }
    for (const child of children || []) if (child) node.appendChild(child);
    return node;
  }
  function count(n) {
    return n === undefined || n === null ? '—' : Number(n).toLocaleString('en-US');
  }
  function pct(share) {
    return share === undefined || share === null ? '—' : (share * 100).toFixed(1) + '%';
  }
  function cssVar(name, fallback) {
    const v = getComputedStyle(document.body).getPropertyValue(name).trim();
    return v || fallback;
  }
  const STATUS_COLORS = { ok: '#3fa66a', warning: '#d4a017', error: '#d9534f', draft: '#8a8a8a', unknown: '#6a8caf' };

  function chart(container, option) {
    if (typeof echarts === 'undefined') {
      container.appendChild(el('p', { class: 'muted', text: 'Charts unavailable (echarts not loaded).' }));
      return;
    }
    const instance = echarts.init(container, null, { renderer: 'canvas' });
    instance.setOption(option);
    charts.push(instance);
    return instance;
  }

  function section(title, body) {
    return el('section', {}, [el('h2', { text: title }), body]);
  }

  function renderSelected(s) {
    const parts = [el('h1', { text: s.title ? s.title + ' (' + s.name + ')' : s.name })];
    const seg = current.segments.find((x) => x.name === s.name);
    if (seg) {
      parts.push(
        el('p', { class: 'summary' }, [
          el('span', { class: 'badge status-' + seg.status, text: seg.status }),
          el('span', {
            text:
              ' ' + count(seg.size) + (seg.size === 1 ? ' user · ' : ' users · ') + pct(seg.share) +
              (seg.expectations.total ? ' · ' + seg.expectations.passed + '/' + seg.expectations.total + ' expectations' : ''),
          }),
        ]),
      );
    }
    if (s.description) parts.push(el('p', { class: 'description', text: s.description }));
    if (s.where) parts.push(el('pre', { class: 'where', text: 'where ' + s.where }));
    if (s.expectations.length) {
      parts.push(
        el('ul', { class: 'expectations' }, s.expectations.map((e) =>
          el('li', { class: e.passed === false ? 'failed' : e.passed ? 'passed' : 'unknown' }, [
            el('span', { text: (e.passed === false ? '✗ ' : e.passed ? '✓ ' : '? ') + e.text }),
            e.message ? el('span', { class: 'muted', text: ' — ' + e.message }) : null,
          ]),
        )),
      );
    }
    if (s.sample.length) {
      const head = el('tr', {}, s.columns.map((c) => el('th', { text: c })).concat([el('th', { text: '' })]));
      const rows = s.sample.map((row) => {
        const key = s.keyField ? row[s.keyField] : undefined;
        const explain = key !== undefined
          ? el('button', { class: 'explain', 'data-key': key, text: 'Why?', title: 'Explain clause by clause',
              onclick: () => vscode.postMessage({ type: 'explain', segment: s.name, key }) })
          : null;
        return el('tr', {}, s.columns.map((c) => el('td', { text: row[c] === undefined ? '' : row[c] })).concat([el('td', {}, [explain])]));
      });
      parts.push(section('Sample members', el('div', { class: 'table-wrap' }, [el('table', { class: 'sample' }, [el('thead', {}, [head]), el('tbody', {}, rows)])])));
      parts.push(el('div', { id: 'explanation', class: 'explanation' }));
    } else {
      parts.push(el('p', { class: 'muted', text: 'No sample members.' }));
    }
    return el('section', { class: 'selected' }, parts);
  }

  function sizesChart(container, data) {
    const segs = data.segments.filter((s) => s.size !== undefined).slice().sort((a, b) => a.size - b.size);
    if (!segs.length) return container.appendChild(el('p', { class: 'muted', text: 'No segment sizes yet.' }));
    container.style.height = Math.max(120, segs.length * 26 + 40) + 'px';
    const fg = cssVar('--vscode-foreground', '#ccc');
    const instance = chart(container, {
      animation: false,
      grid: { left: 8, right: 60, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: 'value', axisLabel: { color: fg } },
      yAxis: { type: 'category', data: segs.map((s) => s.name), axisLabel: { color: fg } },
      tooltip: {
        trigger: 'item',
        formatter: (p) => {
          const s = segs[p.dataIndex];
          return escapeHtml((s.title || s.name) + ': ' + count(s.size) + ' (' + pct(s.share) + ')');
        },
      },
      series: [{
        type: 'bar',
        data: segs.map((s) => ({
          value: s.size,
          itemStyle: { color: s.name === (data.selected && data.selected.name) ? '#4e8fdc' : STATUS_COLORS[s.status] || STATUS_COLORS.unknown },
        })),
        label: { show: true, position: 'right', color: fg, formatter: (p) => pct(segs[p.dataIndex].share) },
      }],
    });
    if (instance) instance.on('click', (p) => vscode.postMessage({ type: 'select', segment: segs[p.dataIndex].name }));
  }

  function overlapChart(container, data) {
    const names = data.overlaps.names;
    if (names.length < 2) return container.appendChild(el('p', { class: 'muted', text: 'Overlaps need two segments with data.' }));
    container.style.height = Math.max(200, names.length * 28 + 80) + 'px';
    const cells = [];
    let max = 1;
    names.forEach((_, i) => names.forEach((__, j) => {
      const v = data.overlaps.counts[i][j];
      if (i !== j) max = Math.max(max, v);
      cells.push([j, i, v]);
    }));
    const fg = cssVar('--vscode-foreground', '#ccc');
    chart(container, {
      animation: false,
      grid: { left: 8, right: 8, top: 8, bottom: 60, containLabel: true },
      xAxis: { type: 'category', data: names, axisLabel: { color: fg, rotate: 40 } },
      yAxis: { type: 'category', data: names, axisLabel: { color: fg } },
      visualMap: { min: 0, max, show: false, inRange: { color: ['#1f2a36', '#4e8fdc'] } },
      tooltip: { formatter: (p) => escapeHtml(names[p.value[1]] + ' ∩ ' + names[p.value[0]] + ': ' + count(p.value[2])) },
      series: [{ type: 'heatmap', data: cells, label: { show: names.length <= 12, color: '#fff', formatter: (p) => count(p.value[2]) } }],
    });
  }

  function coverageList(data) {
    return el('ul', { class: 'coverage' }, data.coverage.map((c) => {
      const share = c.rows ? c.covered / c.rows : 0;
      return el('li', {}, [
        el('span', { text: c.dataset + ': ' + count(c.covered) + ' of ' + count(c.rows) + ' rows in at least one segment (' + pct(share) + ')' }),
        el('div', { class: 'bar' }, [el('div', { class: 'fill', style: 'width:' + (share * 100).toFixed(1) + '%' })]),
      ]);
    }));
  }

  function partitionList(data) {
    return el('ul', { class: 'partitions' }, data.partitions.map((p) =>
      el('li', {}, [
        el('strong', { text: p.title || p.name }),
        el('span', { text: ' — ' + p.segments.join(', ') + (p.exclusive ? ' · exclusive' : '') + (p.exhaustive ? ' · exhaustive' : '') }),
        p.overlapping !== undefined ? el('span', { class: p.overlapping ? 'failed' : 'muted', text: ' · ' + count(p.overlapping) + ' in several' }) : null,
        p.uncovered !== undefined ? el('span', { class: p.uncovered && p.exhaustive ? 'failed' : 'muted', text: ' · ' + count(p.uncovered) + ' in none' }) : null,
      ]),
    ));
  }

  function personaCards(data) {
    return el('div', { class: 'personas' }, data.personas.map((p) =>
      el('article', { class: 'persona' }, [
        el('h3', { text: p.title || p.name }),
        p.segment ? el('p', { class: 'muted', text: 'segment ' + p.segment + (p.profileIsMember === false ? ' · profile is not a member' : '') }) : null,
        p.quote ? el('blockquote', { text: '“' + p.quote + '”' }) : null,
        p.goals.length ? el('p', {}, [el('strong', { text: 'Goals: ' }), el('span', { text: p.goals.join('; ') })]) : null,
        p.pains.length ? el('p', {}, [el('strong', { text: 'Pains: ' }), el('span', { text: p.pains.join('; ') })]) : null,
      ]),
    ));
  }

  function render(data) {
    current = data;
    charts.splice(0).forEach((c) => c.dispose());
    app.textContent = '';
    const datasets = data.datasets.map((d) => d.name + ': ' + (d.loaded ? count(d.rows) + ' rows' : d.error || 'not loaded')).join(' · ');
    app.appendChild(el('header', {}, [el('span', { class: 'muted', text: datasets || 'No dataset' })]));
    if (data.selected) app.appendChild(renderSelected(data.selected));
    const sizes = el('div', { class: 'chart', id: 'sizes-chart' });
    app.appendChild(section('Segment sizes', sizes));
    sizesChart(sizes, data);
    const overlaps = el('div', { class: 'chart', id: 'overlap-chart' });
    app.appendChild(section('Overlaps', overlaps));
    overlapChart(overlaps, data);
    if (data.coverage.length) app.appendChild(section('Coverage', coverageList(data)));
    if (data.partitions.length) app.appendChild(section('Partitions', partitionList(data)));
    if (data.personas.length) app.appendChild(section('Personas', personaCards(data)));
  }

  // The server's explanation HTML (core/engine/explain-render.ts) escapes every
  // text it holds; without it (an unknown row) the plain message is shown as text.
  function explanationTree(result) {
    const box = el('div', { class: 'explanation-body' });
    if (typeof result.html === 'string') box.innerHTML = result.html;
    else box.appendChild(el('p', { class: 'muted', text: result.text.replace(/`/g, '') }));
    return box;
  }

  window.addEventListener('message', (event) => {
    const msg = event.data;
    if (msg.type === 'data') render(msg.data);
    else if (msg.type === 'error') {
      app.textContent = '';
      app.appendChild(el('p', { class: 'failed', text: msg.message }));
    } else if (msg.type === 'explanation') {
      const target = document.getElementById('explanation');
      if (target) {
        target.textContent = '';
        target.appendChild(el('h3', { text: 'Why row ' + msg.key + (msg.result.member === undefined ? '' : msg.result.member ? ' is a member' : ' is not a member') }));
        target.appendChild(explanationTree(msg.result));
      }
    }
  });
  window.addEventListener('resize', () => charts.forEach((c) => c.resize()));
  vscode.postMessage({ type: 'ready' });
})();
