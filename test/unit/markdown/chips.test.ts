/** The Markdown preview plugin with the real markdown-it that VS Code uses: references become chips, code stays code. */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { segspecMarkdownItPlugin, type MarkdownIt } from '../../../client/src/markdown-plugin.js';
import type { ReferenceInfo } from '../../../server/src/lsp/protocol.js';

type Renderer = MarkdownIt & { render(src: string): string };
const MarkdownItCtor = createRequire(import.meta.url)('markdown-it') as new (options?: object) => Renderer;

const known: Record<string, ReferenceInfo> = {
  freelancers: {
    kind: 'segment',
    name: 'freelancers',
    title: 'Freelancers',
    size: 987,
    share: 0.1234,
    status: 'ok',
    unit: 'customers',
    location: { uri: 'file:///ws/segments.segspec', startLine: 11, endLine: 20, character: 8 },
  },
  drafty: { kind: 'segment', name: 'drafty', title: 'Draft <b>one</b>', status: 'draft' },
  lonely: { kind: 'segment', name: 'lonely', title: 'Lonely', size: 1, share: 0.001, status: 'ok', unit: 'people', unitOne: 'person' },
  fiona: {
    kind: 'persona',
    name: 'fiona',
    title: 'Freelance Fiona',
    size: 987,
    share: 0.1234,
    status: 'ok',
    segment: 'freelancers',
    segmentTitle: 'Freelancers',
    location: { uri: 'file:///ws/personas.segspec', startLine: 3, endLine: 9, character: 8 },
  },
};

function render(src: string): string {
  const md = new MarkdownItCtor({ html: false });
  md.use(segspecMarkdownItPlugin((kind, name) => (known[name]?.kind === kind ? known[name] : undefined)));
  return md.render(src);
}

describe('Markdown preview chips', () => {
  it('renders a segment reference as a chip with title, size in the unit word and share, linked to its definition', () => {
    const html = render('We build for @segment(freelancers) first.');
    expect(html).toContain('<a class="segspec-chip segspec-chip-segment segspec-chip-ok" href="file:///ws/segments.segspec#L12"');
    expect(html).toContain('<span class="segspec-chip-title">Freelancers</span>');
    expect(html).toContain('987 customers · 12.3%');
    expect(html).not.toContain('@segment(');
  });

  it('counts one member in the singular word the server gives ("1 person", not "1 people")', () => {
    expect(render('@segment(lonely)')).toContain('1 person · 0.1%');
  });

  it('renders a persona chip as the persona and its segment (no size), with a drawn icon, and marks unknown names', () => {
    const html = render('Ask @persona(fiona) and @segment(ghosts).');
    expect(html).toContain('<a class="segspec-chip segspec-chip-persona segspec-chip-ok" href="file:///ws/personas.segspec#L4"');
    expect(html).toContain('<span class="segspec-chip-person" aria-hidden="true"></span><span class="segspec-chip-title">Freelance Fiona</span> <span class="segspec-chip-size">· Freelancers</span></a>');
    expect(html).not.toContain('987');
    expect(html).not.toMatch(/[\u{1F300}-\u{1FAFF}]/u);
    expect(html).toContain('segspec-chip-missing');
    expect(html).toContain('ghosts ?');
  });

  it('escapes titles from the spec', () => {
    const html = render('See @segment(drafty).');
    expect(html).toContain('Draft &#60;b&#62;one&#60;/b&#62;');
    expect(html).not.toContain('<b>one</b>');
    expect(html).toContain('segspec-chip-draft');
  });

  it('leaves references inside code alone', () => {
    const html = render('Write `@segment(freelancers)` like this:\n\n```\n@segment(freelancers)\n```\n');
    expect(html).not.toContain('segspec-chip');
    expect(html).toContain('<code>@segment(freelancers)</code>');
  });

  it('works next to emphasis and inside links text', () => {
    const html = render('**For @segment(freelancers)**, _and_ [@segment(fiona_typo)](https://example.com)');
    expect(html).toContain('<strong>For <a class="segspec-chip');
    expect(html).toContain('fiona_typo ?');
    // Inside a link's text a chip is not a second link.
    const inLink = render('[see @segment(freelancers)](https://example.com)');
    expect(inLink).toContain('<a href="https://example.com">see <span class="segspec-chip');
  });
});
