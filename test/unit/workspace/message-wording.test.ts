/**
 * Every message a user can see reads as a sentence: no stray punctuation
 * between a did-you-mean and what follows, no `undefined`, `NaN` or
 * `[object …]` from a missing argument, no doubled spaces. Run over the
 * catalog's explanations, over broken specs that trigger the static and
 * syntax checks (with and without a suggestion), and over the fixture and
 * samples that trigger the data checks.
 */
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { catalogEntries } from '../../../server/src/core/diagnostics/catalog.js';
import { Workspace } from '../../../server/src/core/workspace.js';
import { NodeHost } from '../../../server/src/node/fs-host.js';
import { MemoryHost } from './memory-host.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));

const flaws: Array<[string, RegExp]> = [
  ['a stray mark after a question', /\?[;,.:]/],
  ['doubled punctuation', /;;|,,|\s[;,]/],
  ['a missing argument', /\bundefined\b|\bNaN\b|\[object /],
  ['doubled spaces', / {2}/],
  ['empty quotes', /``|(?<![\w"])""(?![\w"])/],
  ['white space at an end', /^\s|\s$/],
];

function problems(text: string): string[] {
  return flaws.filter(([, pattern]) => pattern.test(text)).map(([what]) => what);
}

const dataset = `dataset users {
  source "users.csv"
  key user_id
  fields { user_id: string age: integer plan: enum("free", "pro", "team") job: string? signup_date: date app_version: semver integrations: list<string> is_student: boolean ltv_usd: number? }
}
`;
const csv = 'user_id,age,plan,job,signup_date,app_version,integrations,is_student,ltv_usd\nu1,19,free,dev,2026-01-02,1.2.3,a;b,true,3.5\nu2,40,pro,,2025-03-04,2.0.0,,false,\n';

const broken = [
  'segment a { kind demographc where age > 3 }',
  'segment a { kind zzzzzzzz where age > 3 }',
  'segment a { where age > 3 expect meen(age) > 3 }',
  'segment a { where age > 3 expect zzzzzz(age) > 3 }',
  'segment a { where lowr(job) == "x" }',
  'segment a { where plan == "enterprize" }',
  'segment a { where age == "thirty" }',
  'segment a { where ag > 3 }',
  'segment a { where age between 18 to 29 }',
  'segment a { where age betwen 18 and 29 }',
  'segment a { wher age > 3 }',
  'segment a { where age > }',
  'segment a { where age < 18 and age > 65 }',
  'segment a { where age > 5 or age <= 5 }',
  'segment a { where job matches "(" }',
  'segment a { where app_version >= "3.x" }',
  'segment a { kind value }\npersona p { segment a }',
  'segment a { where age > 3 }\npartition p { segments [a, bb] }',
  'segment a { where age > 3 expect size between 20% and 10% }',
  'segment a { where age > 3 expect disjoint studnts }',
  'persona p { quote "hi" }',
  'segment a { from usres where age > 3 }',
  'segment a { where age > 3 example member { agee: 3 } }',
  'segment a { where b }\nsegment b { where a }',
  'segment a { where age > 3 } }',
  'segment a { where (age > 3 }',
  'segment a { where age in [1, 2 }',
];

describe('message wording', () => {
  it('every catalog explanation reads cleanly', () => {
    for (const entry of catalogEntries) {
      expect({ code: entry.code, problems: [...problems(entry.title), ...problems(entry.explanation)] }).toEqual({ code: entry.code, problems: [] });
      expect(entry.explanation).toMatch(/[.)]$/);
    }
  });

  it('static and syntax messages read cleanly, with or without a suggestion', async () => {
    let seen = 0;
    for (const spec of broken) {
      const ws = new Workspace(new MemoryHost({ '/ws/users.segspec': dataset, '/ws/users.csv': csv, '/ws/spec.segspec': spec }), '/ws');
      const findings = (await ws.analyze()).findings;
      seen += findings.length;
      for (const f of findings) expect({ message: f.message, problems: problems(f.message) }).toEqual({ message: f.message, problems: [] });
    }
    expect(seen).toBeGreaterThanOrEqual(broken.length);
  });

  it('data-check messages on the fixture and the samples read cleanly', async () => {
    const folders = [
      join(root, 'test/sql/fixtures/all-checks'),
      ...readdirSync(join(root, 'samples'), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => join(root, 'samples', e.name)),
    ];
    const codes = new Set<string>();
    for (const folder of folders) {
      const findings = (await new Workspace(new NodeHost(), folder).analyze()).findings;
      for (const f of findings) {
        codes.add(f.code);
        expect({ message: f.message, problems: problems(f.message) }).toEqual({ message: f.message, problems: [] });
      }
    }
    expect(codes.size).toBeGreaterThan(10);
  });
});
