import type { Colors } from '../colors.js';
import type { MemberIds } from '../../core/diff/snapshot.js';
import type { LinkView, SegmentStatus, WorkspaceView } from '../view.js';
import { escapeControls } from './safe-text.js';

/** Pairs listed in the table; the JSON output has every pair. */
const OVERLAPS_SHOWN = 10;

const pct = (share: number): string => `${(share * 100).toFixed(1)}%`;
const num = (n: number): string => n.toLocaleString('en-US');

/** A bar of `width` cells for a fraction 0..1, with eighth-block precision. */
export function bar(fraction: number, width: number): string {
  const eighths = Math.round(Math.max(0, Math.min(1, fraction)) * width * 8);
  const full = Math.floor(eighths / 8);
  const rest = eighths % 8;
  return '█'.repeat(full) + (rest > 0 ? ' ▏▎▍▌▋▊▉'[rest] : '');
}

function statusColour(c: Colors, s: SegmentStatus): (t: string) => string {
  return s === 'ok' ? c.green : s === 'failing' ? c.red : s === 'empty' ? c.yellow : c.gray;
}

/** Pads plain text; `shown` may carry colour codes that do not take up columns. */
function padEnd(plain: string, width: number, shown = plain): string {
  return shown + ' '.repeat(Math.max(0, width - [...plain].length));
}
function padStart(plain: string, width: number): string {
  return ' '.repeat(Math.max(0, width - [...plain].length)) + plain;
}

/** `belongs to listeners by listener_id: 91.7% of listeners have plays (3,667 of 4,000)` */
export function linkText(name: string, link: LinkView): string {
  const head = `belongs to ${link.parent} by ${link.by}${link.oneToOne ? ' (one-to-one)' : ''}`;
  if (link.share === undefined || link.parents === undefined || link.linkedParents === undefined) return `${head}: share of ${link.parent} linked unavailable (${link.reason ?? 'not counted'})`;
  const orphans = link.orphans ? `; ${num(link.orphans)} rows name no ${link.parent}` : '';
  return `${head}: ${pct(link.share)} of ${link.parent} have ${name} (${num(link.linkedParents)} of ${num(link.parents)})${orphans}`;
}

/** Aligned tables per workspace: datasets, segments with a bar, overlaps, coverage. */
export function formatStatsTable(view: WorkspaceView, c: Colors): string {
  const out: string[] = [];
  const workspaces = [...new Set([...view.datasets, ...view.segments].map((x) => x.workspace))];
  for (const ws of workspaces) {
    if (out.length > 0) out.push('');
    out.push(c.bold(escapeControls(ws)));
    for (const d of view.datasets.filter((x) => x.workspace === ws)) {
      const cov = view.coverage.find((x) => x.workspace === ws && x.dataset === d.name);
      const rows = d.rows === undefined ? 'not loaded' : `${num(d.rows)} rows`;
      const coverage = cov ? `, ${pct(cov.share)} in at least one segment` : '';
      out.push(escapeControls(`dataset ${d.name} (${d.source}): ${rows}${coverage}${d.link ? `, ${linkText(d.name, d.link)}` : ''}`));
    }
    const segs = view.segments.filter((x) => x.workspace === ws);
    if (segs.length > 0) {
      out.push('');
      const headers = ['segment', 'dataset', 'size', 'share', 'status'];
      // An unavailable segment shows no number: its reason follows the row.
      const cells = segs.map((s) => [escapeControls(s.name), escapeControls(s.dataset ?? '–'), s.size === undefined ? '–' : num(s.size), s.share === undefined ? '–' : pct(s.share), s.status]);
      const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => [...r[i]].length)));
      const maxShare = Math.max(...segs.map((s) => s.share ?? 0), 0);
      out.push(
        c.gray(
          [padEnd(headers[0], widths[0]), padEnd(headers[1], widths[1]), padStart(headers[2], widths[2]), padStart(headers[3], widths[3]), headers[4]].join('  '),
        ),
      );
      segs.forEach((s, i) => {
        const r = cells[i];
        const colour = statusColour(c, s.status);
        out.push(
          [
            padEnd(r[0], widths[0]),
            padEnd(r[1], widths[1]),
            padStart(r[2], widths[2]),
            padStart(r[3], widths[3]),
            padEnd(r[4], widths[4], colour(r[4])),
            s.reason === undefined ? colour(bar(maxShare > 0 ? (s.share ?? 0) / maxShare : 0, 30)) : c.gray(escapeControls(s.reason)),
          ]
            .join('  ')
            .trimEnd(),
        );
      });
    }
    const all = view.overlaps
      .filter((o) => o.workspace === ws && o.a !== o.b && o.count > 0)
      .sort((x, y) => y.count - x.count || (x.a + x.b < y.a + y.b ? -1 : 1));
    if (all.length > 0) {
      const overlaps = all.slice(0, OVERLAPS_SHOWN);
      const sizeOf = new Map(segs.map((s) => [s.name, s.size]));
      out.push('', c.gray(`largest overlaps (members in both; share of the smaller segment)`));
      const labels = overlaps.map((o) => escapeControls(`${o.a} ∩ ${o.b}`));
      const w = Math.max(...labels.map((l) => [...l].length));
      const cw = Math.max(...overlaps.map((o) => num(o.count).length));
      overlaps.forEach((o, i) => {
        const smaller = Math.min(sizeOf.get(o.a) ?? 0, sizeOf.get(o.b) ?? 0);
        const ofSmaller = smaller > 0 ? `  ${padStart(pct(o.count / smaller), 6)}` : '';
        out.push(`${padEnd(labels[i], w)}  ${padStart(num(o.count), cw)}${ofSmaller}`);
      });
      if (all.length > overlaps.length) {
        out.push(c.gray(`… ${all.length - overlaps.length} more overlapping pairs (--format json lists them all)`));
      }
    }
    for (const p of view.partitions.filter((x) => x.workspace === ws)) {
      const rules = [p.exclusive ? 'exclusive' : '', p.exhaustive ? 'exhaustive' : ''].filter(Boolean).join(', ');
      const head = `${escapeControls(`partition ${p.name} [${p.segments.join(', ')}]`)}${rules ? ` (${rules})` : ''}`;
      if (p.ok === undefined || p.gaps === undefined) {
        out.push('', `${head}: ${c.yellow('unavailable')} (${escapeControls(p.reason ?? 'it could not be checked')})`);
        continue;
      }
      const state = p.ok ? c.green('holds') : c.red('fails');
      out.push('', `${head}: ${state}${p.exhaustive || p.gaps > 0 ? `, ${num(p.gaps)} rows in none` : ''}`);
    }
    for (const f of view.flags.filter((x) => x.workspace === ws)) out.push('', ...flagLines(f, c));
  }
  return out.join('\n') + '\n';
}

/** `flag smart_reschedule (growthbook smart-reschedule) for students: 1,412 rows get it · reach 98.0% (…) · leak 44` and the rules that leak. */
function flagLines(f: WorkspaceView['flags'][number], c: Colors): string[] {
  const head = escapeControls(`flag ${f.name} (${[f.system, f.key].filter(Boolean).join(' ')}) for ${f.for.join(', ') || '?'}`);
  if (f.reason !== undefined || f.rows === undefined || f.leak === undefined) {
    const got = f.rows === undefined ? '' : `${num(f.rows)} rows get it · `;
    return [`${head}: ${got}reach and leak ${c.yellow('unavailable')} (${escapeControls(f.reason ?? 'not measured')})`];
  }
  const reach = f.reach === undefined ? 'reach unavailable (no members)' : `reach ${pct(f.reach)} (${num(f.reached ?? 0)} of ${num(f.members ?? 0)})`;
  const leak = f.leak > 0 ? c.yellow(`leak ${num(f.leak)}`) : c.green('leak 0');
  const lines = [`${head}: ${num(f.rows)} rows get it · ${reach} · ${leak}`];
  for (const r of f.leakByRule) lines.push(c.gray(escapeControls(`  ${num(r.count)} outside by ${r.rule} (e.g. ${r.exampleKeys.join(', ')})`)));
  for (const e of f.expectations) {
    const mark = e.passed === true ? c.green('✓') : e.passed === false ? c.red('✗') : c.yellow('?');
    lines.push(`  ${mark} ${escapeControls(e.message)}`);
  }
  return lines;
}

/** RFC 4180 field. */
function csvField(value: string | number): string {
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One row per segment: workspace,segment,dataset,size,share,status. */
export function formatStatsCsv(view: WorkspaceView): string {
  const lines = [['workspace', 'segment', 'dataset', 'size', 'share', 'status'].join(',')];
  for (const s of view.segments) {
    const share = s.share === undefined ? '' : Number(s.share.toFixed(6));
    lines.push([s.workspace, s.name, s.dataset ?? '', s.size ?? '', share, s.status].map(csvField).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}

/** Member keys for `stats --format json --members` (what `segspec diff --base stats.json` compares). */
export interface StatsMembers {
  segment(workspace: string, name: string): MemberIds | undefined;
  key(workspace: string, dataset: string): string | undefined;
}

export function formatStatsJson(view: WorkspaceView, members?: StatsMembers): string {
  const doc = {
    datasets: view.datasets.map((d) => ({
      workspace: d.workspace,
      name: d.name,
      source: d.source,
      rows: d.rows ?? null,
      ...(d.link
        ? {
            belongsTo: {
              parent: d.link.parent,
              by: d.link.by,
              oneToOne: d.link.oneToOne,
              parents: d.link.parents ?? null,
              linkedParents: d.link.linkedParents ?? null,
              share: d.link.share ?? null,
              orphans: d.link.orphans ?? null,
              ...(d.link.reason === undefined ? {} : { reason: d.link.reason }),
            },
          }
        : {}),
      ...(members ? { key: members.key(d.workspace, d.name) ?? null } : {}),
    })),
    segments: view.segments.map((s) => ({
      workspace: s.workspace,
      name: s.name,
      dataset: s.dataset ?? null,
      size: s.size ?? null,
      share: s.share ?? null,
      status: s.status,
      ...(s.reason === undefined ? {} : { reason: s.reason }),
      ...(members ? memberFields(members.segment(s.workspace, s.name)) : {}),
    })),
    overlaps: view.overlaps.filter((o) => o.a !== o.b).map((o) => ({ workspace: o.workspace, a: o.a, b: o.b, count: o.count })),
    coverage: view.coverage.map((c) => ({ workspace: c.workspace, dataset: c.dataset, rows: c.rows, covered: c.covered, share: c.share })),
    partitions: view.partitions.map((p) => ({
      workspace: p.workspace,
      name: p.name,
      segments: p.segments,
      exclusive: p.exclusive,
      exhaustive: p.exhaustive,
      ok: p.ok ?? null,
      gaps: p.gaps ?? null,
      overlaps: p.overlaps,
      ...(p.reason === undefined ? {} : { reason: p.reason }),
    })),
    flags: view.flags.map((f) => ({
      workspace: f.workspace,
      name: f.name,
      system: f.system ?? null,
      key: f.key ?? null,
      for: f.for,
      dataset: f.dataset ?? null,
      rows: f.rows ?? null,
      members: f.members ?? null,
      reached: f.reached ?? null,
      reach: f.reach ?? null,
      leak: f.leak ?? null,
      leakByRule: f.leakByRule,
      expectations: f.expectations,
      ...(f.reason === undefined ? {} : { reason: f.reason }),
    })),
  };
  return JSON.stringify(doc, null, 2) + '\n';
}

/** Every member's key, or null with the reason when they cannot be named (no key, not measured). */
function memberFields(ids: MemberIds | undefined): { members: string[] | null; membersNote?: string } {
  if (ids?.kind === 'ids') return { members: [...ids.ids] };
  return { members: null, membersNote: ids?.reason ?? 'not measured' };
}
