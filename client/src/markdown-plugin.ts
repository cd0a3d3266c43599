/**
 * Renders `@segment(name)` and `@persona(name)` in VS Code's Markdown preview
 * as chips with the title and size. markdown-it renders synchronously, so the
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
  push(type: string, tag: string, nesting: number): Token;
}

type InlineRule = (state: InlineState, silent: boolean) => boolean;

const REFERENCE = /^@(segment|persona)\(\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)/;

export function renderChip(kind: 'segment' | 'persona', name: string, info: ReferenceInfo | undefined): string {
  if (!info || info.status === 'missing') {
    return `<span class="segspec-chip segspec-chip-missing" title="${escapeHtml(`Unknown ${kind} '${name}'`)}">${escapeHtml(name)} ?</span>`;
  }
  const label = info.title ?? name;
  // No size for a segment that could not be measured: the chip says so, the tooltip says why.
  const size =
    info.size !== undefined
      ? `${formatCount(info.size)}${info.share === undefined ? '' : ` · ${formatShare(info.share)}`}`
      : info.reason
        ? 'unavailable'
        : '';
  const why = info.size === undefined && info.reason ? `: ${info.reason}` : '';
  const tooltip = `${kind} ${name}${size ? ` — ${size}` : ''}${why}${info.status === 'draft' ? ' (draft)' : ''}`;
  const icon = kind === 'persona' ? '👤 ' : '';
  return (
    `<span class="segspec-chip segspec-chip-${escapeHtml(info.status)}" title="${escapeHtml(tooltip)}">` +
    `${icon}<span class="segspec-chip-title">${escapeHtml(label)}</span>` +
    (size ? ` <span class="segspec-chip-size">${escapeHtml(size)}</span>` : '') +
    `</span>`
  );
}

export function segspecMarkdownItPlugin(lookup: ChipLookup): (md: MarkdownIt) => void {
  return (md) => {
    md.inline.ruler.before('emphasis', 'segspec_reference', (state, silent) => {
      if (state.src.charCodeAt(state.pos) !== 0x40 /* @ */) return false;
      const match = REFERENCE.exec(state.src.slice(state.pos, state.posMax));
      if (!match) return false;
      if (!silent) {
        const token = state.push('segspec_reference', 'span', 0);
        token.meta = { kind: match[1], name: match[2] };
      }
      state.pos += match[0].length;
      return true;
    });
    md.renderer.rules.segspec_reference = (tokens, idx) => {
      const { kind, name } = tokens[idx].meta as { kind: 'segment' | 'persona'; name: string };
      return renderChip(kind, name, lookup(kind, name));
    };
  };
}
