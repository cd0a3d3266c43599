import { describe, expect, it } from 'vitest';
import { markdownCompletionContext, parseMarkdown, referenceAt } from '../../../server/src/core/markdown/index.js';

function slice(text: string, r: { start: { offset: number }; end: { offset: number } }): string {
  return text.slice(r.start.offset, r.end.offset);
}

describe('parseMarkdown', () => {
  it('finds inline segment and persona references with exact ranges', () => {
    const text = '# Roadmap\n\nWe build invoicing for @segment(freelancers) and @persona( fiona ).\n';
    const { references } = parseMarkdown(text);
    expect(references.map((r) => [r.kind, r.name])).toEqual([
      ['segment', 'freelancers'],
      ['persona', 'fiona'],
    ]);
    expect(slice(text, references[0].range)).toBe('@segment(freelancers)');
    expect(slice(text, references[0].nameRange)).toBe('freelancers');
    expect(references[0].nameRange.start.line).toBe(2);
    expect(slice(text, references[1].nameRange)).toBe('fiona');
  });

  it('reads flow and block lists in front matter', () => {
    const text = '---\ntitle: Q3\nsegments: [freelancers, "students"]\npersonas:\n  - fiona\n  - sam # lead\n---\n# Body\n';
    const doc = parseMarkdown(text);
    expect(doc.references.map((r) => `${r.kind}:${r.name}:${r.origin}`)).toEqual([
      'segment:freelancers:frontMatter',
      'segment:students:frontMatter',
      'persona:fiona:frontMatter',
      'persona:sam:frontMatter',
    ]);
    for (const r of doc.references) expect(slice(text, r.nameRange)).toBe(r.name);
    expect(doc.frontMatter?.end.line).toBe(6);
  });

  it('skips references in fenced code and inline code spans', () => {
    const text = 'Use `@segment(x)` like this:\n```md\n@segment(inside_fence)\n```\nReal: @segment(real_one)\n';
    expect(parseMarkdown(text).references.map((r) => r.name)).toEqual(['real_one']);
  });

  it('keeps an empty reference so that it can be reported', () => {
    const { references } = parseMarkdown('see @segment()');
    expect(references).toHaveLength(1);
    expect(references[0].name).toBe('');
  });

  it('locates the reference under a cursor', () => {
    const text = 'a @segment(pros) b';
    const doc = parseMarkdown(text);
    expect(referenceAt(doc, text.indexOf('pros') + 2)?.name).toBe('pros');
    expect(referenceAt(doc, 0)).toBeUndefined();
  });
});

describe('markdownCompletionContext', () => {
  it('offers segment names inside @segment(', () => {
    const text = 'for @segment(fre';
    const ctx = markdownCompletionContext(text, text.length);
    expect(ctx).toMatchObject({ type: 'name', kind: 'segment', prefix: 'fre' });
  });

  it('offers the reference keyword after a bare @', () => {
    const text = 'for @per';
    expect(markdownCompletionContext(text, text.length)).toMatchObject({ type: 'keyword', prefix: 'per' });
  });

  it('offers names in a front-matter list and nothing in prose', () => {
    const text = '---\nsegments: [free, \npersonas:\n  - \n---\nplain text';
    const inFlow = text.indexOf('free, ') + 6;
    expect(markdownCompletionContext(text, inFlow)).toMatchObject({ type: 'name', kind: 'segment' });
    const inBlock = text.indexOf('  - ') + 4;
    expect(markdownCompletionContext(text, inBlock)).toMatchObject({ type: 'name', kind: 'persona' });
    expect(markdownCompletionContext(text, text.length)).toBeUndefined();
  });

  it('does not treat e-mail addresses as references', () => {
    const text = 'mail me at ann@exa';
    expect(markdownCompletionContext(text, text.length)).toBeUndefined();
  });
});
