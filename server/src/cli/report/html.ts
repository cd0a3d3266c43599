import { createHash } from 'node:crypto';
import { formatPercent } from '../../core/engine/format.js';
import type { WorkspaceView, SegmentView, PersonaView, PartitionView, RoadmapView, FlagView } from '../view.js';
import { escapeHtml as e, jsonForScript } from './escape.js';
import { CHART_SCRIPT } from './chart-script.js';
import { REPORT_CSS } from './style.js';

export interface ReportOptions {
  title: string;
  generatedAt: string;
  asOf?: string;
  toolVersion: string;
  /** The echarts browser build, inlined. */
  echartsSource: string;
}

/**
 * One self-contained HTML page. Everything from the spec or the data goes
 * through `escapeHtml`; the chart data travels as JSON in a
 * `<script type="application/json">` block; the only scripts are echarts and
 * the chart code, both pinned by hash in the Content-Security-Policy, so
 * nothing else can run even if a value slipped through.
 */
export function renderReport(view: WorkspaceView, opts: ReportOptions): string {
  const chartData = {
    // Charts show measured segments only: an unavailable one has no number (the table says why).
    segments: view.segments.flatMap((s) =>
      s.size === undefined || s.share === undefined ? [] : [{ name: s.name, title: s.title ?? '', size: s.size, share: s.share, status: s.status }],
    ),
    overlaps: view.overlaps.map((o) => ({ a: o.a, b: o.b, count: o.count })),
    coverage: view.coverage.map((c) => ({ dataset: c.dataset, rows: c.rows, covered: c.covered })),
  };
  const scripts = [opts.echartsSource, CHART_SCRIPT];
  const hashes = scripts.map((s) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`);
  const csp = [
    "default-src 'none'",
    `script-src ${hashes.join(' ')}`,
    "style-src 'unsafe-inline'",
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const n = view.summary;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${e(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(opts.title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<header>
<h1>${e(opts.title)}</h1>
<p class="meta">Generated ${e(opts.generatedAt)}${opts.asOf ? ` · as of ${e(opts.asOf)}` : ''} · segspec ${e(opts.toolVersion)}</p>
<p class="summary ${n.errors > 0 ? 'bad' : n.warnings > 0 ? 'warn' : 'good'}" id="summary">${n.errors} errors · ${n.warnings} warnings · ${n.infos} infos · ${view.segments.length} segments · ${view.datasets.length} datasets</p>
<nav><a href="#sizes">Sizes</a> <a href="#overlaps">Overlaps</a> <a href="#coverage">Coverage</a> <a href="#partitions">Partitions</a> <a href="#flags">Flags</a> <a href="#personas">Personas</a> <a href="#roadmaps">Roadmaps</a> <a href="#expectations">Expectations</a> <a href="#members">Sample members</a> <a href="#findings">Findings</a></nav>
</header>
<main>
<section id="sizes"><h2>Segment sizes</h2>
<div class="chart" id="chart-sizes" role="img" aria-label="Bar chart of segment sizes"></div>
${segmentTable(view.segments)}
</section>
<section id="overlaps"><h2>Overlaps</h2>
<p class="meta">Members in both segments, and their share of the smaller one. The diagonal is each segment's own size.</p>
<div class="scroll"><div class="chart square" id="chart-overlaps" role="img" aria-label="Heatmap of members shared by each pair of segments"></div></div>
${overlapTable(view)}
</section>
<section id="coverage"><h2>Coverage</h2>
<div class="chart small" id="chart-coverage" role="img" aria-label="Rows in at least one segment, per dataset"></div>
${coverageTable(view)}
</section>
<section id="partitions"><h2>Partitions</h2>
${partitionTable(view.partitions)}
</section>
<section id="flags"><h2>Feature flags</h2>
<p class="meta">Each flag evaluated on the sample rows with its system's own semantics: the rows that get it, its reach (share of the segment it is for) and its leak (rows outside that segment that get it).</p>
${flagTable(view.flags)}
</section>
<section id="personas"><h2>Personas</h2>
<div class="cards">${view.personas.map(personaCard).join('\n') || '<p class="none">No personas.</p>'}</div>
</section>
<section id="roadmaps"><h2>Roadmaps</h2>
${roadmapList(view.roadmaps)}
</section>
<section id="expectations"><h2>Expectations</h2>
${expectationList(view.segments)}
</section>
<section id="members"><h2>Sample members</h2>
${view.segments.map(sampleTable).join('\n')}
</section>
<section id="findings"><h2>Findings</h2>
${findingTable(view)}
</section>
</main>
<script type="application/json" id="segspec-data">${jsonForScript(chartData)}</script>
<script>${opts.echartsSource}</script>
<script>${CHART_SCRIPT}</script>
</body>
</html>
`;
}

const pct = formatPercent;
const num = (n: number): string => n.toLocaleString('en-US');

function segmentTable(segments: SegmentView[]): string {
  if (segments.length === 0) return '<p class="none">No segments.</p>';
  const rows = segments.map((s) => {
    const passed = s.expectations.filter((x) => x.passed).length;
    const size = s.size === undefined ? '–' : num(s.size);
    const share = s.share === undefined ? '–' : pct(s.share);
    const status = `<span class="status ${e(s.status)}">${e(s.status)}</span>${s.reason ? ` <span class="detail">${e(s.reason)}</span>` : ''}`;
    return `<tr><td><code>${e(s.name)}</code></td><td>${e(s.title ?? '')}</td><td>${e(s.kind ?? '')}</td><td>${e(s.dataset ?? '')}</td><td class="num">${size}</td><td class="num">${share}</td><td>${status}</td><td class="num">${s.expectations.length === 0 ? '–' : `${passed}/${s.expectations.length}`}</td></tr>`;
  });
  return `<table class="segments"><thead><tr><th>Segment</th><th>Title</th><th>Kind</th><th>Dataset</th><th>Size</th><th>Share</th><th>Status</th><th>Expectations</th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table>`;
}

function overlapTable(view: WorkspaceView): string {
  const shared = view.overlaps.filter((o) => o.count > 0 && o.a !== o.b);
  if (shared.length === 0) return '<p class="none">No two segments share members.</p>';
  const size = new Map(view.segments.map((s) => [`${s.workspace}\u0000${s.name}`, s.size]));
  const ofSmaller = (o: WorkspaceView['overlaps'][number]): string => {
    const smaller = Math.min(size.get(`${o.workspace}\u0000${o.a}`) ?? 0, size.get(`${o.workspace}\u0000${o.b}`) ?? 0);
    return smaller > 0 ? pct(o.count / smaller) : '–';
  };
  const rows = shared
    .sort((x, y) => y.count - x.count)
    .map((o) => `<tr><td><code>${e(o.a)}</code></td><td><code>${e(o.b)}</code></td><td class="num">${num(o.count)}</td><td class="num">${ofSmaller(o)}</td></tr>`);
  return `<details><summary>${num(shared.length)} overlapping pairs</summary><table><thead><tr><th>Segment</th><th>Segment</th><th>Shared members</th><th>Share of the smaller</th></tr></thead><tbody>${rows.join('')}</tbody></table></details>`;
}

function coverageTable(view: WorkspaceView): string {
  if (view.coverage.length === 0) return '<p class="none">No data loaded.</p>';
  const rows = view.coverage.map(
    (c) => `<tr><td><code>${e(c.dataset)}</code></td><td class="num">${num(c.rows)}</td><td class="num">${num(c.covered)}</td><td class="num">${pct(c.share)}</td><td class="num">${num(c.rows - c.covered)}</td></tr>`,
  );
  return `<table><thead><tr><th>Dataset</th><th>Rows</th><th>In a segment</th><th>Coverage</th><th>In none</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function partitionTable(partitions: PartitionView[]): string {
  if (partitions.length === 0) return '<p class="none">No partitions.</p>';
  const rows = partitions.map((p) => {
    const rules = [p.exclusive ? 'exclusive' : '', p.exhaustive ? 'exhaustive' : ''].filter(Boolean).join(', ') || '–';
    const overlaps = p.overlaps.filter((o) => o.count > 0);
    const problems = [
      ...overlaps.map((o) => `${e(o.a)} ∩ ${e(o.b)}: ${num(o.count)}`),
      ...(p.exhaustive && p.gaps ? [`${num(p.gaps)} rows in none`] : []),
      ...(p.reason ? [e(p.reason)] : []),
    ];
    const name = p.title ? `<strong>${e(p.title)}</strong><br><code>${e(p.name)}</code>` : `<code>${e(p.name)}</code>`;
    const state = p.ok === undefined ? 'unavailable' : p.ok ? 'holds' : 'fails';
    const stateClass = p.ok === undefined ? 'unavailable' : p.ok ? 'ok' : 'failing';
    return `<tr><td class="partition-name">${name}</td><td>${p.segments.map((s) => `<code>${e(s)}</code>`).join(', ')}</td><td>${rules}</td><td><span class="status ${stateClass}">${state}</span></td><td>${problems.join('<br>') || '–'}</td></tr>`;
  });
  return `<table><thead><tr><th>Partition</th><th>Segments</th><th>Rules</th><th>Status</th><th>Details</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function flagTable(flags: FlagView[]): string {
  if (flags.length === 0) return '<p class="none">No flags.</p>';
  const rows = flags.map((f) => {
    const name = f.title ? `<strong>${e(f.title)}</strong><br><code>${e(f.name)}</code>` : `<code>${e(f.name)}</code>`;
    const system = `${e(f.system ?? '?')} <code>${e(f.key ?? '?')}</code>`;
    const forCell = f.for.map((s) => `<code>${e(s)}</code>`).join(', ') || '–';
    if (f.reason !== undefined || f.leak === undefined) {
      const got = f.rows === undefined ? '–' : num(f.rows);
      return `<tr><td>${name}</td><td>${system}</td><td>${forCell}</td><td class="num">${got}</td><td colspan="2"><span class="status unavailable">unavailable</span> ${e(f.reason ?? 'not measured')}</td></tr>`;
    }
    const reach = f.reach === undefined ? 'no members' : `${pct(f.reach)} (${num(f.reached ?? 0)} of ${num(f.members ?? 0)})`;
    const leakRules = f.leakByRule.map((r) => `${num(r.count)} by ${e(r.rule)} (e.g. ${r.exampleKeys.map(e).join(', ')})`);
    const expectations = f.expectations.map((x) => `${x.passed === true ? '✓' : x.passed === false ? '✗' : '?'} ${e(x.message)}`);
    const leak = [`${num(f.leak)}`, ...leakRules, ...expectations].join('<br>');
    return `<tr><td>${name}</td><td>${system}</td><td>${forCell}</td><td class="num">${num(f.rows ?? 0)}</td><td class="num">${reach}</td><td>${leak}</td></tr>`;
  });
  return `<table><thead><tr><th>Flag</th><th>System and key</th><th>For</th><th>Rows that get it</th><th>Reach</th><th>Leak</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function list(title: string, items: string[]): string {
  return items.length === 0 ? '' : `<h4>${title}</h4><ul>${items.map((i) => `<li>${e(i)}</li>`).join('')}</ul>`;
}

function personaCard(p: PersonaView): string {
  const profile = Object.entries(p.profile)
    .map(([k, v]) => `<tr><th>${e(k)}</th><td>${e(v)}</td></tr>`)
    .join('');
  const match =
    p.profileMatches === undefined
      ? ''
      : `<p class="status ${p.profileMatches ? 'ok' : 'failing'}">${p.profileMatches ? 'profile is a member' : 'profile is not a member'}</p>`;
  return `<article class="card persona" id="persona-${e(p.name)}">
<h3>${e(p.title ?? p.name)}</h3>
<p class="meta"><code>${e(p.name)}</code>${p.segment ? ` · segment <code>${e(p.segment)}</code>` : ''}</p>
${p.quote ? `<blockquote>${e(p.quote)}</blockquote>` : ''}${p.description ? `<p>${e(p.description)}</p>` : ''}
${match}${profile ? `<table class="profile">${profile}</table>` : ''}
${list('Goals', p.goals)}${list('Pains', p.pains)}${list('Jobs', p.jobs)}${list('Channels', p.channels)}
</article>`;
}

function expectationList(segments: SegmentView[]): string {
  const withExpectations = segments.filter((s) => s.expectations.length > 0);
  if (withExpectations.length === 0) return '<p class="none">No expectations.</p>';
  return withExpectations
    .map((s) => {
      const items = s.expectations.map(
        (x) =>
          x.unavailable !== undefined
            ? `<li class="unavailable"><span class="mark">?</span> <code>${e(x.text)}</code> <span class="detail">unavailable: ${e(x.unavailable)}</span></li>`
            : `<li class="${x.passed ? 'pass' : x.warn ? 'warnfail' : 'fail'}"><span class="mark">${x.passed ? '✓' : '✗'}</span> <code>${e(x.text)}</code>${x.message ? ` <span class="detail">${e(x.message)}</span>` : ''}</li>`,
      );
      return `<h3><code>${e(s.name)}</code></h3><ul class="expectations">${items.join('')}</ul>`;
    })
    .join('\n');
}

function sampleTable(s: SegmentView): string {
  if (s.sample.length === 0) return '';
  const columns = [...new Set(s.sample.flatMap((r) => Object.keys(r)))];
  const head = columns.map((c) => `<th>${e(c)}</th>`).join('');
  const body = s.sample
    .map((r) => `<tr>${columns.map((c) => `<td>${e(r[c] ?? '')}</td>`).join('')}</tr>`)
    .join('');
  return `<details class="sample"><summary><code>${e(s.name)}</code> — ${s.sample.length} of ${num(s.size ?? 0)} members</summary><div class="scroll"><table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div></details>`;
}

const STATUS_TEXT: Record<RoadmapView['references'][number]['status'], string> = {
  ok: 'ok',
  draft: 'draft',
  empty: 'empty',
  failing: 'failing',
  unavailable: 'unavailable',
  unknown: 'not defined',
};

function roadmapList(roadmaps: RoadmapView[]): string {
  const documents = roadmaps.filter((r) => r.references.length > 0);
  if (documents.length === 0) return '<p class="none">No Markdown document references a segment or persona.</p>';
  return documents
    .map((doc) => {
      const rows = doc.references.map((r) => {
        const lines = r.lines.map(String).join(', ');
        return `<tr><td><code>@${r.kind}(${e(r.name)})</code></td><td>${e(r.title ?? '')}</td><td>${r.kind === 'persona' && r.segment ? `<code>${e(r.segment)}</code>` : ''}</td><td class="num">${r.size === undefined ? '–' : num(r.size)}</td><td class="num">${r.share === undefined ? '–' : pct(r.share)}</td><td><span class="status ${r.status === 'unknown' ? 'failing' : e(r.status)}">${STATUS_TEXT[r.status]}</span></td><td class="num">${lines}</td></tr>`;
      });
      return `<article class="roadmap"><h3><code>${e(doc.file)}</code></h3><table><thead><tr><th>Reference</th><th>Title</th><th>Segment</th><th>Size</th><th>Share</th><th>Status</th><th>Lines</th></tr></thead><tbody>${rows.join('')}</tbody></table></article>`;
    })
    .join('\n');
}

function findingTable(view: WorkspaceView): string {
  if (view.findings.length === 0) return '<p class="none good">No findings.</p>';
  const rows = view.findings.map(
    (f) => `<tr class="${e(f.severity)}"><td><span class="sev ${e(f.severity)}">${e(f.severity)}</span></td><td><code>${e(f.code)}</code></td><td><code>${e(f.file)}:${f.line + 1}:${f.character + 1}</code></td><td>${e(f.message)}</td></tr>`,
  );
  return `<table class="findings"><thead><tr><th>Severity</th><th>Code</th><th>Location</th><th>Message</th></tr></thead><tbody>${rows.join('\n')}</tbody></table>`;
}
