/**
 * `segspec diff` output: pretty (terminal), Markdown (pull-request comments
 * and the GitHub step summary) and JSON. Every number comes from the
 * comparison (core/diff); a side that was not measured reads "unavailable"
 * with its reason, never 0.
 */
import type { Change, CheckDiff, MembersDiff, PartitionDiff, ReferenceDiff, SegmentDiff, SnapshotDiff } from '../../core/diff/compare.js';
import type { Colors } from '../colors.js';

export interface DiffSides {
  base: { kind: 'git'; ref: string | undefined; label: string; commit: string; short: string } | { kind: 'stats'; file: string };
  head: 'working tree';
}

const num = (n: number): string => n.toLocaleString('en-US');
const pct = (share: number): string => `${(share * 100).toFixed(1)}%`;

function baseLabel(sides: DiffSides): string {
  return sides.base.kind === 'git' ? `${sides.base.label} (${sides.base.short})` : `stats file ${sides.base.file}`;
}

/** A size, or why there is none: "—" where the segment does not exist. */
function sizeText(seg: SegmentDiff, side: 'before' | 'after'): string {
  const exists = seg.status[side] !== undefined;
  if (!exists) return '—';
  const size = seg.size[side];
  if (size === undefined) return seg.status[side] === 'draft' ? 'draft' : 'unavailable';
  return num(size);
}

function shareText(seg: SegmentDiff, side: 'before' | 'after'): string {
  const share = seg.share[side];
  return share === undefined ? '' : pct(share);
}

function sizeChange(seg: SegmentDiff): string {
  const { before, after } = seg.size;
  if (before === undefined || after === undefined || before === after) return '';
  const d = after - before;
  return d > 0 ? `+${num(d)}` : `−${num(-d)}`;
}

const CHANGE_LABEL: Record<SegmentDiff['change'], string> = {
  added: 'added',
  removed: 'removed',
  changed: 'changed',
  affected: 'affected',
};

function changeLabel(seg: SegmentDiff): string {
  if (seg.change === 'changed' && seg.rule !== undefined) return seg.rule.before !== seg.rule.after ? 'rule changed' : 'dataset changed';
  return CHANGE_LABEL[seg.change];
}

function qualified(workspace: string, name: string, many: boolean): string {
  return many ? `${workspace}: ${name}` : name;
}

function unavailableNotes(seg: SegmentDiff): string[] {
  const notes: string[] = [];
  const { before, after } = seg.unavailable;
  if (before !== undefined && seg.status.before !== 'draft') notes.push(`before: unavailable — ${before}`);
  if (after !== undefined && seg.status.after !== 'draft') notes.push(`after: unavailable — ${after}`);
  return notes;
}

function membersLine(m: MembersDiff | undefined): string | undefined {
  if (!m) return undefined;
  if (!m.known) return `members not compared: ${m.reason}`;
  return `members +${num(m.gained)} −${num(m.lost)} (by ${m.by === 'key' ? `key ${m.field}` : 'row: the data did not change'})`;
}

function keysLine(label: string, count: number, keys: string[]): string | undefined {
  if (count === 0) return undefined;
  return `${label} (${num(count)}): ${keys.join(', ')}${count > keys.length ? ', …' : ''}`;
}

function holdsText(h: boolean | undefined, exists: boolean): string {
  if (!exists) return '—';
  return h === undefined ? 'unavailable' : h ? 'holds' : 'fails';
}

function countText(n: number | undefined, exists: boolean): string {
  if (!exists) return '—';
  return n === undefined ? 'unavailable' : num(n);
}

function partitionParts(p: PartitionDiff): string[] {
  const existsBefore = p.segments.before !== undefined;
  const existsAfter = p.segments.after !== undefined;
  const pair = (c: Change<number | undefined>) => `${countText(c.before, existsBefore)} → ${countText(c.after, existsAfter)}`;
  const parts = [`${holdsText(p.holds.before, existsBefore)} → ${holdsText(p.holds.after, existsAfter)}`];
  parts.push(`rows in none ${pair(p.gaps)}`);
  parts.push(`rows in two members ${pair(p.overlapping)}`);
  if (p.unavailable.before !== undefined) parts.push(`before: unavailable — ${p.unavailable.before}`);
  if (p.unavailable.after !== undefined) parts.push(`after: unavailable — ${p.unavailable.after}`);
  if (existsBefore && existsAfter && p.segments.before!.join(',') !== p.segments.after!.join(',')) {
    parts.push(`members [${p.segments.before!.join(', ')}] → [${p.segments.after!.join(', ')}]`);
  }
  return parts;
}

const CHECK_LABEL: Record<CheckDiff['transition'], string> = {
  'starts-failing': 'starts failing',
  'stops-failing': 'stops failing',
  'becomes-unavailable': 'becomes unavailable',
  'becomes-available': 'measurable again',
};

function checkDetail(c: CheckDiff): string {
  const message = c.transition === 'stops-failing' ? (c.state.after === 'absent' ? 'removed' : c.message.after) : (c.message.after ?? c.message.before);
  return message ?? '';
}

const REFERENCE_LABEL: Record<ReferenceDiff['change'], string> = {
  breaks: 'breaks',
  'new-problem': 'new problem',
  fixed: 'fixed',
  'problem-gone': 'problem gone',
};

function referenceDetail(r: ReferenceDiff): string {
  if (r.added.length > 0) return r.added.map((p) => p.message).join('; ');
  return r.removed.map((p) => `no longer: ${p.message}`).join('; ');
}

function referenceWhere(r: ReferenceDiff, many: boolean): string {
  const file = many ? `${r.workspace}/${r.file}` : r.file;
  return `${file}:${r.lines.join(',')} @${r.kind}(${r.name})`;
}

function summaryParts(d: SnapshotDiff): string[] {
  const s = d.summary;
  const parts = [`${s.segmentsAdded} added, ${s.segmentsRemoved} removed, ${s.segmentsChanged} changed, ${s.segmentsAffected} affected`];
  if (d.compared.checks) parts.push(`${s.checksStartFailing} ${s.checksStartFailing === 1 ? 'check starts' : 'checks start'} failing, ${s.checksStopFailing} stop`);
  parts.push(`${s.partitionsStartFailing} ${s.partitionsStartFailing === 1 ? 'partition starts' : 'partitions start'} failing`);
  if (d.compared.references) parts.push(`${s.referencesBroken} ${s.referencesBroken === 1 ? 'reference breaks' : 'references break'}`);
  return parts;
}

function notCompared(d: SnapshotDiff): string | undefined {
  const missing = [!d.compared.rules && 'rules', !d.compared.checks && 'checks', !d.compared.references && 'Markdown references'].filter(Boolean);
  return missing.length > 0 ? `not compared (the base is a stats file, which holds none): ${missing.join(', ')}` : undefined;
}

function manyWorkspaces(d: SnapshotDiff): boolean {
  return d.workspaces.length > 1;
}

export function formatDiffPretty(d: SnapshotDiff, sides: DiffSides, c: Colors): string {
  const many = manyWorkspaces(d);
  const out: string[] = [c.bold(`segspec diff: ${baseLabel(sides)} → ${sides.head}`) + c.gray(` (${d.workspaces.map((w) => w.workspace).join(', ') || 'no workspaces'})`)];
  const skipped = notCompared(d);
  if (skipped) out.push(c.gray(skipped));
  for (const ds of d.datasets) {
    const rows = `${countText(ds.rows.before, true)} → ${countText(ds.rows.after, true)} rows`;
    out.push(c.gray(`data ${qualified(ds.workspace, ds.name, many)}: ${rows}${ds.dataChanged ? ', content changed' : ''}${ds.key.before !== ds.key.after ? `, key ${ds.key.before ?? 'none'} → ${ds.key.after ?? 'none'}` : ''}`));
  }
  if (d.segments.length > 0) {
    out.push('', c.bold('segments'));
    const names = d.segments.map((s) => qualified(s.workspace, s.name, many));
    const labels = d.segments.map(changeLabel);
    const before = d.segments.map((s) => sizeText(s, 'before'));
    const after = d.segments.map((s) => sizeText(s, 'after'));
    const w = (xs: string[]) => Math.max(...xs.map((x) => [...x].length));
    const [wl, wn, wb, wa] = [w(labels), w(names), w(before), w(after)];
    d.segments.forEach((s, i) => {
      const mark = s.change === 'added' ? c.green('+') : s.change === 'removed' ? c.red('−') : s.change === 'changed' ? c.yellow('~') : c.cyan('·');
      const delta = sizeChange(s);
      const share = s.share.before !== undefined && s.share.after !== undefined ? c.gray(` (${shareText(s, 'before')} → ${shareText(s, 'after')})`) : '';
      out.push(
        `  ${mark} ${labels[i].padEnd(wl)}  ${names[i].padEnd(wn)}  ${before[i].padStart(wb)} → ${after[i].padStart(wa)}${delta ? `  ${delta}` : ''}${share}`.trimEnd(),
      );
      const detail = [
        s.rule && s.rule.before !== s.rule.after && s.rule.before !== undefined && s.rule.after !== undefined
          ? [`rule before: ${s.rule.before}`, `rule after:  ${s.rule.after}`]
          : [],
        unavailableNotes(s),
        [membersLine(s.members)],
        s.members?.known ? [keysLine('gained', s.members.gained, s.members.gainedExamples), keysLine('lost', s.members.lost, s.members.lostExamples)] : [],
      ].flat();
      for (const line of detail) if (line) out.push(c.gray(`      ${line}`));
    });
  }
  if (d.checks.length > 0) {
    out.push('', c.bold('checks'));
    for (const ch of d.checks) {
      const label = CHECK_LABEL[ch.transition];
      const mark = ch.transition === 'starts-failing' ? (ch.severity === 'warning' ? c.yellow('⚠') : c.red('✖')) : ch.transition === 'stops-failing' ? c.green('✔') : c.gray('?');
      out.push(`  ${mark} ${label}: ${qualified(ch.workspace, ch.segment, many)}: ${ch.text}`);
      const detail = checkDetail(ch);
      if (detail) out.push(c.gray(`      ${detail}`));
    }
  }
  if (d.partitions.length > 0) {
    out.push('', c.bold('partitions'));
    for (const p of d.partitions) {
      const mark = p.startsFailing ? c.red('✖') : p.stopsFailing ? c.green('✔') : c.cyan('·');
      out.push(`  ${mark} ${qualified(p.workspace, p.name, many)}${p.change === 'changed' ? '' : ` (${p.change})`}: ${partitionParts(p).join(' · ')}`);
    }
  }
  if (d.references.length > 0) {
    out.push('', c.bold('Markdown references'));
    for (const r of d.references) {
      const bad = r.change === 'breaks' || r.change === 'new-problem';
      const mark = bad ? (r.change === 'breaks' || r.added.some((p) => p.severity === 'error') ? c.red('✖') : c.yellow('⚠')) : c.green('✔');
      out.push(`  ${mark} ${REFERENCE_LABEL[r.change]}: ${referenceWhere(r, many)}`);
      out.push(c.gray(`      ${referenceDetail(r)}`));
    }
  }
  if (d.segments.length + d.checks.length + d.partitions.length + d.references.length === 0) out.push('', c.green('no change to segments, checks, partitions or references'));
  out.push('', summaryParts(d).join(' · '));
  return out.join('\n') + '\n';
}

/** Text for a Markdown table cell or paragraph: Markdown and HTML characters escaped. */
function md(s: string): string {
  return s.replace(/[\\`*_{}[\]<>|#!~]/g, (ch) => `\\${ch}`).replace(/\r?\n/g, ' ');
}

/** An inline code span that survives backticks and table pipes in the text. */
function code(s: string): string {
  const text = s.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
  const runs = text.match(/`+/g) ?? [];
  const fence = '`'.repeat(Math.max(0, ...runs.map((r) => r.length)) + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

const MD_MARK: Record<SegmentDiff['change'], string> = { added: '➕', removed: '➖', changed: '✏️', affected: '🔁' };

export function formatDiffMarkdown(d: SnapshotDiff, sides: DiffSides): string {
  const many = manyWorkspaces(d);
  const out: string[] = [];
  const base = sides.base.kind === 'git' ? `${sides.base.ref === undefined ? md(sides.base.label) : code(sides.base.ref)} (${code(sides.base.short)})` : `stats file ${code(sides.base.file)}`;
  out.push(`### Segspec diff: ${base} → ${sides.head}`, '');
  out.push(summaryParts(d).map(md).join(' · '), '');
  const skipped = notCompared(d);
  if (skipped) out.push(`_${md(skipped)}_`, '');
  const name = (workspace: string, n: string) => (many ? `${code(workspace)} ${code(n)}` : code(n));
  if (d.segments.length > 0) {
    out.push('| change | segment | size before → after | gained | lost |', '|---|---|---:|---:|---:|');
    for (const s of d.segments) {
      const m = s.members;
      const gained = m?.known ? `+${num(m.gained)}` : m ? 'n/a' : '';
      const lost = m?.known ? `−${num(m.lost)}` : m ? 'n/a' : '';
      out.push(`| ${MD_MARK[s.change]} ${md(changeLabel(s))} | ${name(s.workspace, s.name)} | ${md(sizeText(s, 'before'))} → ${md(sizeText(s, 'after'))} | ${gained} | ${lost} |`);
    }
    out.push('');
  } else {
    out.push('No segment changes its members.', '');
  }
  if (d.checks.length > 0) {
    out.push('| check | segment | expectation | measured |', '|---|---|---|---|');
    for (const ch of d.checks) {
      const mark = ch.transition === 'starts-failing' ? (ch.severity === 'warning' ? '⚠️' : '❌') : ch.transition === 'stops-failing' ? '✅' : '❔';
      out.push(`| ${mark} ${md(CHECK_LABEL[ch.transition])} | ${name(ch.workspace, ch.segment)} | ${code(ch.text)} | ${md(checkDetail(ch))} |`);
    }
    out.push('');
  }
  if (d.partitions.length > 0) {
    out.push('| partition | holds | rows in none | rows in two members |', '|---|---|---:|---:|');
    for (const p of d.partitions) {
      const [holds] = partitionParts(p);
      const reasons = [p.unavailable.before && `before: ${p.unavailable.before}`, p.unavailable.after && `after: ${p.unavailable.after}`].filter(Boolean);
      const eb = p.segments.before !== undefined;
      const ea = p.segments.after !== undefined;
      const mark = p.startsFailing ? '❌ ' : p.stopsFailing ? '✅ ' : '';
      out.push(
        `| ${mark}${name(p.workspace, p.name)}${p.change === 'changed' ? '' : ` (${p.change})`} | ${md(holds)}${reasons.length > 0 ? ` (${md(reasons.join('; '))})` : ''} | ${countText(p.gaps.before, eb)} → ${countText(p.gaps.after, ea)} | ${countText(p.overlapping.before, eb)} → ${countText(p.overlapping.after, ea)} |`,
      );
    }
    out.push('');
  }
  if (d.references.length > 0) {
    out.push('| reference | where | what |', '|---|---|---|');
    for (const r of d.references) {
      const bad = r.change === 'breaks' || r.change === 'new-problem';
      const mark = bad ? (r.change === 'breaks' || r.added.some((p) => p.severity === 'error') ? '❌' : '⚠️') : '✅';
      const file = many ? `${r.workspace}/${r.file}` : r.file;
      out.push(`| ${mark} ${md(REFERENCE_LABEL[r.change])} | ${code(`${file}:${r.lines.join(',')}`)} ${code(`@${r.kind}(${r.name})`)} | ${md(referenceDetail(r))} |`);
    }
    out.push('');
  }
  const details = d.segments.filter((s) => (s.rule && s.rule.before !== s.rule.after) || s.members || unavailableNotes(s).length > 0);
  if (details.length > 0) {
    out.push('<details><summary>Rules and members</summary>', '');
    for (const s of details) {
      out.push(`**${name(s.workspace, s.name)}** — ${md(changeLabel(s))}`, '');
      if (s.rule && s.rule.before !== s.rule.after) {
        if (s.rule.before !== undefined) out.push(`- rule before: ${code(s.rule.before)}`);
        if (s.rule.after !== undefined) out.push(`- rule after: ${code(s.rule.after)}`);
      }
      for (const note of unavailableNotes(s)) out.push(`- ${md(note)}`);
      const m = s.members;
      if (m && !m.known) out.push(`- ${md(`members not compared: ${m.reason}`)}`);
      if (m?.known) {
        out.push(`- members by ${m.by === 'key' ? `key ${code(m.field ?? '')}` : 'row (the data did not change)'}: +${num(m.gained)} −${num(m.lost)}`);
        if (m.gained > 0) out.push(`- gained: ${m.gainedExamples.map(code).join(', ')}${m.gained > m.gainedExamples.length ? ', …' : ''}`);
        if (m.lost > 0) out.push(`- lost: ${m.lostExamples.map(code).join(', ')}${m.lost > m.lostExamples.length ? ', …' : ''}`);
      }
      out.push('');
    }
    out.push('</details>', '');
  }
  return out.join('\n');
}

/** The documented JSON shape: the comparison plus what was compared; unknown values are null. */
export function formatDiffJson(d: SnapshotDiff, sides: DiffSides): string {
  const doc = {
    base: sides.base.kind === 'git' ? { kind: 'git', ref: sides.base.ref ?? null, label: sides.base.label, commit: sides.base.commit } : { kind: 'stats', file: sides.base.file },
    head: { kind: 'worktree' },
    compared: d.compared,
    summary: d.summary,
    workspaces: d.workspaces,
    datasets: d.datasets,
    segments: d.segments,
    checks: d.checks,
    partitions: d.partitions,
    references: d.references,
    flags: d.flags,
  };
  return JSON.stringify(doc, (_key, value: unknown) => (value === undefined ? null : value), 2) + '\n';
}
