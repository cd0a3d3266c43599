import { describe, expect, it } from 'vitest';
import { parseMarkdown } from '../../../server/src/core/markdown/index.js';
import { checkMarkdown } from '../../../server/src/core/semantics/markdown-checks.js';
import { analyzeStatic, usersDataset } from '../semantics/helpers.js';

const spec = `segment young { where age < 25 }
segment retired_seniors { where age > 70 }
persona rosa_x { segment young }
persona retired_rosa { segment retired_seniors }
persona fiona { segment young }
`;

function messages(markdown: string): string[] {
  const { model } = analyzeStatic({ 'users.segspec': usersDataset, 'spec.segspec': spec });
  return checkMarkdown('/ws/r.md', parseMarkdown(markdown), model, () => 'ok').map((f) => f.message);
}

describe('Markdown references: did-you-mean', () => {
  it('suggests a persona whose name starts with or contains the word written', () => {
    expect(messages('For @persona(rosa).')).toEqual(['unknown persona `rosa` — did you mean `rosa_x` or `retired_rosa`?']);
    expect(messages('For @persona(fiona_b).')).toEqual(['unknown persona `fiona_b` — did you mean `fiona`?']);
    expect(messages('For @segment(seniors).')).toEqual(['unknown segment `seniors` — did you mean `retired_seniors`?']);
  });

  it('says when the name is of the other kind', () => {
    expect(messages('For @persona(young).')).toEqual(['`young` is a segment, not a persona: write `@segment(young)`']);
    expect(messages('---\nsegments: [fiona]\n---\n')).toEqual(['`fiona` is a persona, not a segment: list it under `personas:`']);
  });
});
