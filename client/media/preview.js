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
  // The candidates of the last "Discover segments" (DiscoveryView in preview-panel.ts), drawn above the preview.
  let discovery = null;
  const discoveryBox = document.createElement('div');
  discoveryBox.id = 'discovery';
  app.parentNode.insertBefore(discoveryBox, app);

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
  // What the segment's rows are called ("customers"), from its dataset.
  function unitWord(seg, n) {
    const unit = seg.unit || { one: 'row', many: 'rows' };
    return n === 1 ? unit.one : unit.many;
  }
  function pct(share) {
    return share === undefined || share === null ? '—' : (share * 100).toFixed(1) + '%';
  }
  // Colours come from the editor's theme (its --vscode-* variables), resolved
  // to rgb() by the browser so echarts can blend them; read again on every
  // render, so a theme switch redraws the charts in the new colours.
  function themeColor(variable, fallback) {
    const probe = el('span', { style: 'display:none;color:var(' + variable + ', ' + fallback + ')' });
    document.body.appendChild(probe);
    const color = getComputedStyle(probe).color;
    probe.remove();
    return color || fallback;
  }
  function rgbOf(color) {
    const m = /rgba?\(([^)]+)\)/.exec(color);
    if (!m) return [128, 128, 128];
    return m[1].split(',').slice(0, 3).map((x) => Number(x.trim()));
  }
  function mix(a, b, t) {
    const x = rgbOf(a), y = rgbOf(b);
    return 'rgb(' + x.map((v, i) => Math.round(v + (y[i] - v) * t)).join(', ') + ')';
  }
  // Black or white, whichever reads better on the given background (WCAG relative luminance).
  function textOn(background) {
    const [r, g, b] = rgbOf(background).map((v) => {
      const c = v / 255;
      return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.4 ? '#000000' : '#ffffff';
  }
  function palette() {
    const fg = themeColor('--vscode-foreground', '#cccccc');
    const background = themeColor('--vscode-editor-background', '#1e1e1e');
    return {
      // The diagonal of the heatmap: a faint tint of the text colour, visible on any theme, never a scale colour.
      neutral: mix(background, fg, 0.14),
      fg,
      muted: themeColor('--vscode-descriptionForeground', '#999999'),
      lines: themeColor('--vscode-charts-lines', 'rgba(128, 128, 128, 0.5)'),
      background,
      accent: themeColor('--vscode-charts-blue', '#3794ff'),
      status: {
        ok: themeColor('--vscode-charts-green', '#3fa66a'),
        warning: themeColor('--vscode-charts-yellow', '#d4a017'),
        error: themeColor('--vscode-charts-red', '#d9534f'),
        draft: themeColor('--vscode-disabledForeground', '#8a8a8a'),
        unknown: themeColor('--vscode-charts-purple', '#6a8caf'),
      },
    };
  }

  function chart(container, option) {
    if (typeof echarts === 'undefined') {
      container.appendChild(el('p', { class: 'muted', text: 'Charts unavailable (echarts not loaded).' }));
      return;
    }
    const instance = echarts.init(container, null, { renderer: 'svg' }); // svg: labels stay text a test (or a screen reader) can read
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
          seg.size === undefined
            ? el('span', { text: ' ' + (seg.reason ? 'unavailable: ' + seg.reason : 'not measured') })
            : el('span', {
              text:
                ' ' + count(seg.size) + ' ' + unitWord(seg, seg.size) + ' · ' + pct(seg.share) +
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
            el('span', { class: 'mark', text: e.passed === false ? '✗' : e.passed ? '✓' : '?' }),
            el('code', { class: 'expect', text: e.text }),
            e.message ? el('span', { class: 'measured', text: ' — ' + e.message }) : null,
          ]),
        )),
      );
    }
    if (s.sample.length) {
      const numeric = new Set(s.numericColumns || []);
      const cellClass = (c) => (numeric.has(c) ? 'num' : c === s.keyField ? 'key' : '');
      const head = el('tr', {}, s.columns.map((c) => el('th', { text: c, class: cellClass(c) })).concat([el('th', { text: '' })]));
      const rows = s.sample.map((row) => {
        const key = s.keyField ? row[s.keyField] : undefined;
        const explain = key !== undefined
          ? el('button', { class: 'explain', 'data-key': key, text: 'Why?', title: 'Explain clause by clause',
              onclick: () => vscode.postMessage({ type: 'explain', segment: s.name, key }) })
          : null;
        return el('tr', {}, s.columns.map((c) => el('td', { text: row[c] === undefined ? '' : row[c], class: cellClass(c) })).concat([el('td', {}, [explain])]));
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
    const colors = palette();
    const fg = colors.fg;
    const instance = chart(container, {
      animation: false,
      textStyle: { color: fg },
      grid: { left: 8, right: 60, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: 'value', axisLabel: { color: fg }, splitLine: { lineStyle: { color: colors.lines } }, axisLine: { lineStyle: { color: colors.lines } } },
      yAxis: { type: 'category', data: segs.map((s) => s.name), axisLabel: { color: fg }, axisLine: { lineStyle: { color: colors.lines } } },
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
          itemStyle: { color: s.name === (data.selected && data.selected.name) ? colors.accent : colors.status[s.status] || colors.status.unknown },
        })),
        label: { show: true, position: 'right', color: fg, formatter: (p) => pct(segs[p.dataIndex].share) },
      }],
    });
    if (instance) instance.on('click', (p) => vscode.postMessage({ type: 'select', segment: segs[p.dataIndex].name }));
  }

  // Rows top to bottom in the order of the columns left to right; each cell
  // the members both segments share and their share of the smaller one (as
  // `segspec stats`); the diagonal is the segment's size, in a neutral colour
  // outside the colour scale so it cannot wash out the pairs.
  function overlapChart(container, data) {
    const names = data.overlaps.names;
    if (names.length < 2) return container.appendChild(el('p', { class: 'muted', text: 'Overlaps need two segments with data.' }));
    const n = names.length;
    container.style.width = Math.max(container.parentNode.clientWidth || 0, 140 + n * 64) + 'px';
    container.style.height = 60 + n * 40 + 130 + 'px';
    const sizes = names.map((_, i) => data.overlaps.counts[i][i]);
    const pairs = [];
    const diagonal = [];
    let max = 0;
    names.forEach((_, i) => names.forEach((__, j) => {
      const v = data.overlaps.counts[i][j];
      if (i === j) {
        diagonal.push([j, i, v]);
        return;
      }
      const smaller = Math.min(sizes[i], sizes[j]);
      pairs.push([j, i, v, smaller > 0 ? v / smaller : -1]);
      max = Math.max(max, v);
    }));
    const colors = palette();
    const fg = colors.fg;
    const cellColor = (v) => mix(colors.background, colors.accent, max > 0 ? v / max : 0);
    chart(container, {
      animation: false,
      textStyle: { color: fg },
      grid: { left: 8, right: 16, top: 56, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: names, axisLabel: { color: fg, rotate: 45, interval: 0 }, axisLine: { lineStyle: { color: colors.lines } } },
      yAxis: { type: 'category', data: names, inverse: true, axisLabel: { color: fg, interval: 0 }, axisLine: { lineStyle: { color: colors.lines } } },
      visualMap: {
        type: 'continuous', seriesIndex: 0, dimension: 2, min: 0, max: Math.max(max, 1), calculable: false,
        orient: 'horizontal', left: 'center', top: 0, itemWidth: 12, itemHeight: 160,
        text: [count(max) + ' shared', '0'], textStyle: { color: fg },
        inRange: { color: [colors.background, colors.accent] },
      },
      tooltip: {
        formatter: (p) => {
          const [j, i, v, share] = p.value;
          return i === j
            ? escapeHtml(names[i] + ': ' + count(v) + ' members')
            : escapeHtml(names[i] + ' ∩ ' + names[j] + ': ' + count(v) + ' shared' + (share >= 0 ? ' (' + pct(share) + ' of the smaller)' : ''));
        },
      },
      series: [
        {
          name: 'shared', type: 'heatmap',
          itemStyle: { borderColor: colors.background, borderWidth: 1 },
          data: pairs.map((p) => ({ value: p, label: { color: textOn(cellColor(p[2])) } })),
          label: { show: true, fontSize: 11, lineHeight: 13, formatter: (p) => count(p.value[2]) + (p.value[2] > 0 && p.value[3] >= 0 ? '\n' + pct(p.value[3]) : '') },
        },
        {
          name: 'size', type: 'heatmap', data: diagonal,
          itemStyle: { color: colors.neutral, borderColor: colors.background, borderWidth: 1 },
          label: { show: true, fontSize: 11, fontStyle: 'italic', color: fg, formatter: (p) => count(p.value[2]) },
        },
      ],
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
        p.reason ? el('span', { class: 'muted', text: ' · unavailable: ' + p.reason }) : null,
      ]),
    ));
  }

  // Who gets each flag: per segment of its dataset (the ones it is for first), and per persona.
  function flagTables(data) {
    return el('div', { class: 'flags' }, data.flags.map((f) => {
      const rows = f.segments
        .slice()
        .sort((a, b) => (f.for.includes(b.name) ? 1 : 0) - (f.for.includes(a.name) ? 1 : 0))
        .map((s) => el('tr', {}, [
          el('td', { text: s.name + (f.for.includes(s.name) ? ' (for)' : '') }),
          el('td', { class: 'num', text: count(s.on) + ' of ' + count(s.members) }),
          el('td', { class: 'num', text: s.members ? pct(s.on / s.members) : '—' }),
        ]));
      const personas = f.personas.map((p) => el('tr', {}, [
        el('td', { text: 'persona ' + p.name }),
        el('td', { colspan: '2', text: p.on === undefined ? 'cannot be decided' : p.on ? 'gets it (' + p.rule + ')' : 'does not get it' }),
      ]));
      return el('article', { class: 'flag' }, [
        el('h3', { text: f.title || f.name }),
        el('p', { class: f.reason ? 'muted' : '', text: f.headline }),
        rows.length || personas.length
          ? el('table', { class: 'flag-table' }, [el('tr', {}, [el('th', { text: 'who' }), el('th', { text: 'get the flag' }), el('th', { text: 'share' })]), ...rows, ...personas])
          : null,
      ]);
    }));
  }

  function listLine(label, items) {
    return items && items.length ? el('p', {}, [el('strong', { text: label + ': ' }), el('span', { text: items.join(' · ') })]) : null;
  }

  function personaCards(data) {
    return el('div', { class: 'personas' }, data.personas.map((p) =>
      el('article', { class: 'persona' }, [
        el('h3', { text: p.title || p.name }),
        p.segment ? el('p', { class: 'muted', text: 'segment ' + p.segment + (p.profileIsMember === false ? ' · profile is not a member' : '') }) : null,
        p.quote ? el('blockquote', { text: '“' + p.quote + '”' }) : null,
        p.profile && p.profile.length
          ? el('table', { class: 'profile' }, p.profile.map(([field, value]) => el('tr', {}, [el('th', { text: field }), el('td', { text: value })])))
          : null,
        listLine('Goals', p.goals),
        listLine('Pains', p.pains),
        listLine('Jobs', p.jobs),
        listLine('Channels', p.channels),
      ]),
    ));
  }

  function render(data, focus) {
    const previous = current && current.selected && current.selected.name;
    current = data;
    charts.splice(0).forEach((c) => c.dispose());
    app.textContent = '';
    const datasets = data.datasets.map((d) => d.name + ': ' + (d.loaded ? count(d.rows) + ' rows' : d.error || 'not loaded')).join(' · ');
    app.appendChild(el('header', {}, [
      el('span', { class: 'muted', text: datasets || 'No dataset' }),
      el('button', { class: 'discover', text: 'Discover segments…', title: 'Propose segments from the data', onclick: () => vscode.postMessage({ type: 'discover' }) }),
    ]));
    if (data.selected) app.appendChild(renderSelected(data.selected));
    const sizes = el('div', { class: 'chart', id: 'sizes-chart' });
    app.appendChild(section('Segment sizes', sizes));
    sizesChart(sizes, data);
    const overlaps = el('div', { class: 'chart', id: 'overlap-chart' });
    app.appendChild(section('Overlaps', el('div', { class: 'scroll-x' }, [overlaps])));
    overlapChart(overlaps, data);
    if (data.coverage.length) app.appendChild(section('Coverage', coverageList(data)));
    if (data.partitions.length) app.appendChild(section('Partitions', partitionList(data)));
    if (data.flags && data.flags.length) app.appendChild(section('Feature flags', flagTables(data)));
    if (data.personas.length) app.appendChild(section('Personas', personaCards(data)));
    const selected = data.selected && data.selected.name;
    // After a code-lens click (or a new selection), show the segment's section from its top.
    if (selected && (focus || selected !== previous)) {
      const top = app.querySelector('section.selected');
      if (top) top.scrollIntoView({ block: 'start' });
    }
  }

  function overlapText(overlaps) {
    const top = overlaps[0];
    return top ? top.segment + ': ' + count(top.count) + ' (Jaccard ' + top.jaccard.toFixed(2) + ')' : '—';
  }

  function renderDiscovery() {
    discoveryBox.textContent = '';
    if (!discovery) return;
    const r = discovery.report;
    const added = new Set(discovery.added);
    const head = el('div', { class: 'discovery-head' }, [
      el('h2', { text: 'Discovered segments' }),
      el('button', { class: 'close', text: '×', title: 'Close the candidates', 'aria-label': 'Close the candidates', onclick: () => vscode.postMessage({ type: 'closeDiscovery' }) }),
    ]);
    // With a target: how each candidate differs on it; without one (target null): how faithfully its rule reproduces its cluster.
    const targeted = r.target !== null;
    const sampled = r.sampledRows !== null ? '; searched on a sample of ' + count(r.sampledRows) + ' rows, counted on all' : '';
    const summary = el('p', {
      class: 'muted',
      text: targeted
        ? 'Target ' + r.target + ' on ' + r.dataset + ': ' + count(r.rows) + ' rows, ' + count(r.targetCount) + ' in the target (' + pct(r.targetRate) + ')' + sampled + '.'
        : 'No target, ' + r.dataset + ': ' + count(r.rows) + ' rows in ' + r.k + ' clusters; the rules cover ' + pct(r.coverage) + ' of rows, pairwise Jaccard mean ' +
          r.meanJaccard.toFixed(2) + ', max ' + r.maxJaccard.toFixed(2) + sampled + '.',
    });
    const parts = [head, summary];
    if (!r.candidates.length) {
      parts.push(el('p', { class: 'muted', text: targeted ? 'No rule found that beats the overall rate with enough members.' : 'No cluster could be described by a rule.' }));
    } else {
      const titles = targeted
        ? ['Rule', 'Size', 'Share', 'Target rate', 'Lift', 'Largest overlap', '']
        : ['Rule', 'Size', 'Share', 'Cluster', 'Fidelity (F1)', 'Largest overlap', ''];
      const header = el('tr', {}, titles.map((h, i) => el('th', { text: h, class: i >= 1 && i <= 4 ? 'num' : '', title: h === 'Fidelity (F1)' ? r.fidelity : '' })));
      const rows = r.candidates.map((c) => {
        const done = added.has(c.name);
        const button = el('button', {
          class: 'add', 'data-name': c.name, text: done ? 'Added' : 'Add to file',
          title: done ? 'Added to the file' : 'Append this segment to the file that declares ' + r.dataset,
          onclick: () => vscode.postMessage({ type: 'addCandidate', name: c.name }),
        });
        if (done) button.setAttribute('disabled', '');
        const measures = targeted
          ? [el('td', { class: 'num', text: pct(c.targetRate) }), el('td', { class: 'num', text: c.lift.toFixed(2) })]
          : [
              el('td', { class: 'num', text: count(c.clusterSize) + ' rows' }),
              el('td', { class: 'num', title: 'precision ' + c.precision.toFixed(2) + ', recall ' + c.recall.toFixed(2), text: c.f1.toFixed(2) }),
            ];
        return el('tr', { class: 'candidate', 'data-name': c.name }, [
          el('td', {}, [el('code', { class: 'rule', text: c.where }), el('div', { class: 'muted name', text: c.name })]),
          el('td', { class: 'num size', text: count(c.size) }),
          el('td', { class: 'num', text: pct(c.share) }),
          ...measures,
          el('td', { class: 'overlap', text: overlapText(c.overlaps) }),
          el('td', {}, [button]),
        ]);
      });
      parts.push(el('div', { class: 'table-wrap' }, [el('table', { class: 'discovery' }, [el('thead', {}, [header]), el('tbody', {}, rows)])]));
    }
    discoveryBox.appendChild(el('section', { class: 'discovery' }, parts));
  }

  // The server's explanation HTML (core/engine/explain-render.ts) escapes every
  // text it holds; without it (an unknown row) the plain message is shown as text.
  function explanationTree(result) {
    const box = el('div', { class: 'explanation-body' });
    if (typeof result.html === 'string') box.innerHTML = result.html;
    else box.appendChild(el('p', { class: 'muted', text: result.text.replace(/`/g, '') }));
    return box;
  }

  // VS Code switches themes by changing the body's class and the variables on
  // <html>: draw again so chart colours and labels follow.
  let themeTimer;
  const onTheme = () => {
    clearTimeout(themeTimer);
    themeTimer = setTimeout(() => {
      if (current) render(current, false);
      document.body.dataset.theme = (document.body.className.match(/vscode-[a-z-]+/) || [''])[0];
      document.body.dataset.themeRenders = String(Number(document.body.dataset.themeRenders || 0) + 1);
    }, 50);
  };
  new MutationObserver(onTheme).observe(document.body, { attributes: true, attributeFilter: ['class'] });
  new MutationObserver(onTheme).observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });

  window.addEventListener('message', (event) => {
    const msg = event.data;
    if (msg.type === 'data') render(msg.data, msg.focus === true);
    else if (msg.type === 'discovery') {
      const fresh = msg.discovery && (!discovery || discovery.report !== msg.discovery.report);
      discovery = msg.discovery;
      renderDiscovery();
      if (fresh) discoveryBox.scrollIntoView({ block: 'start' });
    }
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
