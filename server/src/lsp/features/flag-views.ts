/** The `flag` declaration in the editor: its code lens and its hovers (SPEC §12). */
import { MarkupKind, type CodeLens, type Hover } from 'vscode-languageserver/node';
import { flagHeadline, flagLabel } from '../../core/flags/present.js';
import { formatPercent } from '../../core/engine/format.js';
import type { FlagResult } from '../../core/flags/analyze.js';
import type { Snapshot } from '../session.js';
import type { PreviewFlag } from '../protocol.js';
import { andCount } from '../../core/engine/bitset.js';
import { contains, toLspRange } from '../ranges.js';
import { countOf, formatCount, unitOf } from '../format.js';

function headline(snapshot: Snapshot, result: FlagResult): string {
  return flagHeadline(result, (n) => countOf(n, unitOf(snapshot, result.dataset)));
}

export function flagLenses(snapshot: Snapshot, path: string): CodeLens[] {
  const lenses: CodeLens[] = [];
  for (const flag of snapshot.analysis.model.flags.values()) {
    if (flag.file !== path) continue;
    const result = snapshot.analysis.flags.get(flag.name);
    const title = result ? headline(snapshot, result) : 'not evaluated';
    lenses.push({ range: toLspRange(flag.nameRange), command: { title, command: 'segspec.showPreview', arguments: result?.forSegments.slice(0, 1) ?? [] } });
  }
  return lenses;
}

function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, (c) => `\\${c}`);
}

/** The card of a flag: who gets it, reach, leak by rule, expectations. */
export function flagCard(snapshot: Snapshot, result: FlagResult): string {
  const lines = [`**flag ${escape(result.name)}** — ${escape(flagLabel(result))}`, ''];
  if (result.forSegments.length > 0) lines.push(`for ${result.forSegments.map((s) => `\`${s}\``).join(', ')}`, '');
  const unit = unitOf(snapshot, result.dataset);
  if (result.on !== undefined) lines.push(`${countOf(result.on, unit)} of ${formatCount(result.rows)} get it`, '');
  const m = result.measures;
  if (m) {
    lines.push(m.reach === undefined ? '- reach: the segment has no members' : `- reach: ${formatPercent(m.reach)} (${formatCount(m.reached)} of ${formatCount(m.members)})`);
    lines.push(`- leak: ${formatCount(m.leak)} of ${formatCount(m.outside)} outside`);
    for (const rule of m.leakByRule) lines.push(`  - ${escape(rule.rule)}: ${formatCount(rule.count)} (e.g. ${rule.exampleKeys.map(escape).join(', ')})`);
  }
  if (result.unavailable) lines.push(`**? unavailable** — ${escape(result.unavailable)}`);
  for (const e of result.expectations) {
    const mark = e.passed === true ? '✓' : e.passed === false ? '✗' : '?';
    lines.push(`- ${mark} ${escape(e.message)}`);
  }
  return lines.join('\n');
}

/** Over a flag's name: its card; over one of its `expect` lines: what was measured. */
export function flagHover(snapshot: Snapshot, path: string, offset: number): Hover | null {
  for (const flag of snapshot.analysis.model.flags.values()) {
    if (flag.file !== path || !contains(flag.range, offset)) continue;
    const result = snapshot.analysis.flags.get(flag.name);
    if (!result) return null;
    if (contains(flag.nameRange, offset)) {
      return { contents: { kind: MarkupKind.Markdown, value: flagCard(snapshot, result) }, range: toLspRange(flag.nameRange) };
    }
    for (const property of flag.decl.properties) {
      if (property.key !== 'expect' || !property.value || !contains(property.range, offset)) continue;
      const judged = result.expectations.find((e) => e.range.start.offset === property.value!.range.start.offset);
      if (!judged) return null;
      const mark = judged.passed === true ? '✓ holds' : judged.passed === false ? '✗ fails' : '? unavailable';
      return { contents: { kind: MarkupKind.Markdown, value: `**${mark}** — ${escape(judged.message)}` }, range: toLspRange(property.range) };
    }
    return null;
  }
  return null;
}

/** Who gets each flag, per segment of its dataset and per persona, for the preview panel. */
export function previewFlags(snapshot: Snapshot): PreviewFlag[] {
  const { model, flags, results } = snapshot.analysis;
  return [...model.flags.values()].flatMap((symbol) => {
    const result = flags.get(symbol.name);
    if (!result) return [];
    const segments: PreviewFlag['segments'] = [];
    if (result.onBits) {
      for (const segment of results.segments.values()) {
        if (segment.dataset !== result.dataset || !segment.members || segment.status === 'unavailable') continue;
        segments.push({ name: segment.name, members: segment.size, on: andCount(result.onBits, segment.members) });
      }
    }
    return [
      {
        name: symbol.name,
        ...(symbol.decl.title ? { title: symbol.decl.title.value } : {}),
        headline: headline(snapshot, result),
        for: result.forSegments,
        segments,
        personas: result.personas,
        ...(result.unavailable ? { reason: result.unavailable } : {}),
      },
    ];
  });
}
