/** The Markdown preview plugin with the real markdown-it that VS Code uses: references become chips, code stays code. */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { segspecMarkdownItPlugin, type MarkdownIt } from '../../../client/src/markdown-plugin.js';
import type { ReferenceInfo } from '../../../server/src/lsp/protocol.js';

type Renderer = MarkdownIt & { render(src: string): string };
const MarkdownItCtor = createRequire(import.meta.url)('markdown-it') as new (options?: object) => Renderer;

const known: Record<string, ReferenceInfo> = {
  freelancers: { kind: 'segment', name: 'freelancers', title: 'Freelancers', size: 987, share: 0.1234, status: 'ok' },
  drafty: { kind: 'segment', name: 'drafty', title: 'Draft <b>one</b>', status: 'draft' },
  fiona: { kind: 'persona', name: 'fiona', title: 'Freelance Fiona', size: 987, share: 0.1234, status: 'ok' },
};

function render(src: string): string {
  const md = new MarkdownItCtor({ html: false });
  md.use(segspecMarkdownItPlugin((kind, name) => (known[name]?.kind === kind ? known[name] : undefined)));
  return md.render(src);
}

describe('Markdown preview chips', () => {
  it('renders a segment reference as a chip with title, size and share', () => {
    const html = render('We build for @segment(freelancers) first.');
    expect(html).toContain('<span class="segspec-chip segspec-chip-ok"');
    expect(html).toContain('<span class="segspec-chip-title">Freelancers</span>');
    expect(html).toContain('987 · 12.3%');
    expect(html).not.toContain('@segment(');
  });

  it('renders persona chips and marks unknown names', () => {
    const html = render('Ask @persona(fiona) and @segment(ghosts).');
    expect(html).toContain('Freelance Fiona');
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
    expect(html).toContain('<strong>For <span class="segspec-chip');
    expect(html).toContain('fiona_typo ?');
  });
});
