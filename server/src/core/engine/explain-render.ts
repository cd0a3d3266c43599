/**
 * The explanation tree as Markdown (a nested list: readable as text, folded by
 * list item in an editor) and as HTML (referenced segments in `<details>`,
 * every text escaped). The CLI's text form is `renderExplanation`.
 */
import { nodeLabel, readingText, truthMark, truthWord, type ExplanationNode } from './explain.js';

/** Escapes what Markdown would read as markup; `_` only where it could start or end emphasis (not in `time_tracking`). */
function markdownEscape(text: string): string {
  return text.replace(/[\\`*<>]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g, (c) => `\\${c}`);
}

/** `` `code` `` whatever the text holds (a longer fence when it contains backticks). */
function markdownCode(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

function markdownLine(node: ExplanationNode): string {
  switch (node.kind) {
    case 'clause':
      return node.reading ? `${markdownCode(node.text)} — ${markdownEscape(readingText(node.reading))}` : markdownCode(node.text);
    case 'segment': {
      const membership = node.result === true ? 'a member of' : node.result === false ? 'not a member of' : 'unknown whether a member of';
      const title = node.title ? ` "${markdownEscape(node.title)}"` : '';
      return `${markdownCode(node.text)} — ${membership} **${markdownEscape(node.segment ?? node.text)}**${title}`;
    }
    case 'not':
      return markdownCode(node.text);
    case 'and':
    case 'or':
      return `**${nodeLabel(node)}**`;
    default:
      return markdownEscape(nodeLabel(node));
  }
}

/** A nested Markdown list, one item per node, marked ✓ / ✗ / ?. */
export function explanationMarkdown(node: ExplanationNode, indent = ''): string {
  const lines = [`${indent}- ${truthMark(node.result)} ${markdownLine(node)}`];
  for (const child of node.children) lines.push(explanationMarkdown(child, `${indent}  `));
  return lines.join('\n');
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function htmlLine(node: ExplanationNode): string {
  const mark = `<span class="mark ${truthWord(node.result)}">${truthMark(node.result)}</span>`;
  switch (node.kind) {
    case 'clause': {
      const reading = node.reading ? ` <span class="reading">${escapeHtml(readingText(node.reading))}</span>` : '';
      return `${mark} <code>${escapeHtml(node.text)}</code>${reading}`;
    }
    case 'segment': {
      const membership = node.result === true ? 'a member of' : node.result === false ? 'not a member of' : 'unknown whether a member of';
      const title = node.title ? ` “${escapeHtml(node.title)}”` : '';
      return `${mark} <code>${escapeHtml(node.text)}</code> <span class="reading">${membership} <strong>${escapeHtml(node.segment ?? node.text)}</strong>${title}</span>`;
    }
    case 'not':
      return `${mark} <code>${escapeHtml(node.text)}</code>`;
    case 'and':
    case 'or':
      return `${mark} <strong>${escapeHtml(nodeLabel(node))}</strong>`;
    default:
      return `${mark} ${escapeHtml(nodeLabel(node))}`;
  }
}

function htmlItem(node: ExplanationNode): string {
  const children = node.children.length ? `<ul>${node.children.map(htmlItem).join('')}</ul>` : '';
  // A referenced segment's own rule folds away: open when it keeps the row out, closed when it holds.
  if (node.kind === 'segment' && children) {
    return `<li class="segment"><details${node.result === true ? '' : ' open'}><summary>${htmlLine(node)}</summary>${children}</details></li>`;
  }
  return `<li>${htmlLine(node)}${children}</li>`;
}

/** A nested `<ul class="explanation-tree">`; every text escaped, no script, no inline style. */
export function explanationHtml(node: ExplanationNode): string {
  return `<ul class="explanation-tree">${htmlItem(node)}</ul>`;
}
