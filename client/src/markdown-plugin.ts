/**
 * Renders `@segment(name)` and `@persona(name)` in VS Code's Markdown preview
 * as chips (a segment's title, size and share; a persona and its segment),
 * linked to their definitions. markdown-it renders synchronously, so the
 * chips read from a cache (see ChipStore) that the server keeps fresh.
 */
import type { ReferenceInfo } from '../../server/src/lsp/protocol.js';
import { escapeHtml, formatCount, formatShare } from './format.js';

export type ChipLookup = (kind: 'segment' | 'persona', name: string) => ReferenceInfo | undefined;

/** The small part of markdown-it's API that the plugin uses. */
export interface MarkdownIt {
  use(plugin: (md: MarkdownIt) => void): MarkdownIt;
  inline: { ruler: { before(name: string, rule: string, fn: InlineRule): void } };
  renderer: { rules: Record<string, ((tokens: Token[], idx: number) => string) | undefined> };
}

interface Token {
  meta: unknown;
}

interface InlineState {
  src: string;
  pos: number;
  posMax: number;
  /** Above 0 inside a link's text (markdown-it 13+). */
  linkLevel?: number;
  push(type: string, tag: string, nesting: number): Token;
}

type InlineRule = (state: InlineState, silent: boolean) => boolean;

const REFERENCE = /^@(segment|persona)\(\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)/;

/** Where a chip links: the definition, at its line (`file:///…/segments.segspec#L12`). */
function definitionHref(info: ReferenceInfo): string | undefined {
  return info.location ? `${info.location.uri}#L${info.location.startLine + 1}` : undefined;
}

/**
 * A segment chip shows its title, size (in the dataset's unit) and share; a
 * persona chip shows the persona and its segment, not a size (a segment's
 * members are not the persona's people). Both link to their definition.
 */
export function renderChip(kind: 'segment' | 'persona', name: string, info: ReferenceInfo | undefined, options = { link: true }): string {
  if (!info || info.status === 'missing') {
    return `<span class="segspec-chip segspec-chip-missing" title="${escapeHtml(`Unknown ${kind} '${name}'`)}">${escapeHtml(name)} ?</span>`;
  }
  const label = info.title ?? name;
  const unit = info.unit ?? 'rows';
  // A persona chip has no size (a segment's members are not the persona's people); a segment that
  // could not be measured says "unavailable", the tooltip says why.
  const size =
    kind === 'persona'
      ? ''
      : info.size !== undefined
        ? `${formatCount(info.size)} ${info.size === 1 ? (info.unitOne ?? 'row') : unit}${info.share === undefined ? '' : ` · ${formatShare(info.share)}`}`
        : info.reason
          ? 'unavailable'
          : '';
  const why = kind === 'segment' && info.size === undefined && info.reason ? `: ${info.reason}` : '';
  const of = kind === 'persona' && info.segment ? (info.segmentTitle ?? info.segment) : '';
  const tooltip =
    kind === 'persona'
      ? `persona ${name}${info.segment ? ` of segment ${info.segment}` : ''} — open its definition`
      : `segment ${name}${size ? ` — ${size}` : ''}${why}${info.status === 'draft' ? ' (draft)' : ''} — open its definition`;
  const icon = kind === 'persona' ? '<span class="segspec-chip-person" aria-hidden="true"></span>' : '';
  const body =
    `${icon}<span class="segspec-chip-title">${escapeHtml(label)}</span>` +
    (of ? ` <span class="segspec-chip-size">· ${escapeHtml(of)}</span>` : '') +
    (size ? ` <span class="segspec-chip-size">${escapeHtml(size)}</span>` : '');
  // No link inside a link's text (nested anchors are not HTML).
  const href = options.link ? definitionHref(info) : undefined;
  const classes = `segspec-chip segspec-chip-${kind} segspec-chip-${escapeHtml(info.status)}`;
  return href
    ? `<a class="${classes}" href="${escapeHtml(href)}" title="${escapeHtml(tooltip)}">${body}</a>`
    : `<span class="${classes}" title="${escapeHtml(tooltip)}">${body}</span>`;
}

export function segspecMarkdownItPlugin(lookup: ChipLookup): (md: MarkdownIt) => void {
  return (md) => {
    md.inline.ruler.before('emphasis', 'segspec_reference', (state, silent) => {
      if (state.src.charCodeAt(state.pos) !== 0x40 /* @ */) return false;
      const match = REFERENCE.exec(state.src.slice(state.pos, state.posMax));
      if (!match) return false;
      if (!silent) {
        const token = state.push('segspec_reference', 'span', 0);
        token.meta = { kind: match[1], name: match[2], inLink: (state.linkLevel ?? 0) > 0 };
      }
      state.pos += match[0].length;
      return true;
    });
    md.renderer.rules.segspec_reference = (tokens, idx) => {
      const { kind, name, inLink } = tokens[idx].meta as { kind: 'segment' | 'persona'; name: string; inLink: boolean };
      return renderChip(kind, name, lookup(kind, name), { link: !inLink });
    };
  };
}
