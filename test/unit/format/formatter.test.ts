import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { format } from '../../../server/src/core/format/formatter.js';
import { parse } from '../../../server/src/core/syntax/index.js';
import { segspecLexer } from '../../../server/src/core/syntax/tokens.js';

/** The declarations without positions: what the file means, not where. */
function meaning(text: string): string {
  const file = parse(text);
  return JSON.stringify(file.declarations, (key, value: unknown) => (/range$/i.test(key) ? undefined : value));
}

function commentTexts(text: string): string[] {
  return parse(text).comments.map((c) => c.text);
}

/** Formats and checks what must hold for every file: same meaning, same comments, idempotent. */
function formatChecked(text: string): string {
  const formatted = format(text);
  expect(formatted, 'the file should be formatted').toBeDefined();
  const out = formatted as string;
  expect(parse(out).errors).toEqual([]);
  expect(meaning(out)).toBe(meaning(text));
  expect(commentTexts(out)).toEqual(commentTexts(text));
  expect(format(out)).toBe(out);
  return out;
}

describe('canonical layout', () => {
  it('lays out a one-line segment one property per line', () => {
    expect(formatChecked('segment young { kind demographic where age < 25 }')).toBe(
      'segment young {\n  kind demographic\n  where age < 25\n}\n',
    );
  });

  it('breaks a long where before each and / or, continuation lines indented under where', () => {
    const text =
      'segment freelancers "Freelancers" { kind behavioral where job in ["designer", "developer", "writer"] and plan != "enterprise" and integrations contains "invoicing" }';
    expect(formatChecked(text)).toBe(
      [
        'segment freelancers "Freelancers" {',
        '  kind behavioral',
        '  where job in ["designer", "developer", "writer"]',
        '    and plan != "enterprise"',
        '    and integrations contains "invoicing"',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('keeps a short where on one line, and re-joins a short where that was broken', () => {
    expect(formatChecked('segment s {\n  where a\n    and b\n}\n')).toBe('segment s {\n  where a and b\n}\n');
  });

  it('separates declarations by exactly one empty line', () => {
    const text = 'segment a {}\n\n\n\nsegment b {}\nsegment c {}';
    expect(formatChecked(text)).toBe('segment a {}\n\nsegment b {}\n\nsegment c {}\n');
  });

  it('puts one field per line, with canonical spelling of types', () => {
    const text = 'dataset d { key id fields { id: string  plan: enum( "a" ,"b" ) ? tags: list < string > seats: integer? } }';
    expect(formatChecked(text)).toBe(
      [
        'dataset d {',
        '  key id',
        '  fields {',
        '    id: string',
        '    plan: enum("a", "b")?',
        '    tags: list<string>',
        '    seats: integer?',
        '  }',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('spells operators, units and expectations canonically', () => {
    const text = `segment s {
  where x>1 and y  not  in [1,2,] and d within last 1 days and e > 1 weeks ago and t contains  any ["a"] and n is  not missing
  expect size between 8%and 20%   warn
  expect share( device=="desktop" )>=50%
  expect overlap( other ) < 10%
  expect subset of other
}`;
    expect(formatChecked(text)).toBe(`segment s {
  where x > 1
    and y not in [1, 2]
    and d within last 1 day
    and e > 1 week ago
    and t contains any ["a"]
    and n is not missing
  expect size between 8% and 20% warn
  expect share(device == "desktop") >= 50%
  expect overlap(other) < 10%
  expect subset of other
}
`);
  });

  it('breaks long records and lists one entry per line, short ones stay on one line', () => {
    const longGoals = Array.from({ length: 5 }, (_, i) => `"A goal of some length number ${i}"`).join(', ');
    const text = `persona p { segment s profile { age: 31, plan: "pro" } goals [${longGoals}] }`;
    const out = formatChecked(text);
    expect(out).toContain('  profile { age: 31, plan: "pro" }\n');
    expect(out).toContain('  goals [\n    "A goal of some length number 0",\n');
    expect(out).toContain('    "A goal of some length number 4",\n  ]\n');
  });

  it('keeps string escapes and number spellings as written', () => {
    const out = formatChecked('segment s { description "say \\"hi\\"\\n" where n > 1_000_000 and p < 2.5% }');
    expect(out).toContain('description "say \\"hi\\"\\n"');
    expect(out).toContain('n > 1_000_000 and p < 2.5%');
  });

  it('refuses a file with syntax errors', () => {
    expect(format('segment s { where age < }')).toBeUndefined();
    expect(format('segment s {')).toBeUndefined();
    expect(format('segment s { where "open }')).toBeUndefined();
  });

  it('formats an empty file to an empty file', () => {
    expect(format('')).toBe('');
    expect(format('\n\n')).toBe('');
  });
});

describe('comments', () => {
  it('keeps line and block comments at their place', () => {
    const text = `// file header

/* about the dataset */
dataset users { // trailing after brace
  source "u.csv"   // aligned trailing
  fields {
    // before a field
    age: integer /* inline */
  }
  // before the closing brace
}
segment s {
  where a // why a
    and /* b too */ b
  tags [
    "x", // first
    "y"
  ]
}
// at the end`;
    const out = formatChecked(text);
    expect(out).toBe(`// file header

/* about the dataset */
dataset users { // trailing after brace
  source "u.csv"   // aligned trailing
  fields {
    // before a field
    age: integer /* inline */
  }
  // before the closing brace
}

segment s {
  where a // why a
    and /* b too */ b
  tags [
    "x", // first
    "y",
  ]
}
// at the end
`);
  });

  it('formats a block comment that comes after a line comment, or on the line after one, the same way twice', () => {
    formatChecked('dataset users {\n  fields { user_id // note\n: /* two\n   lines */ string }\n}\n');
    formatChecked('dataset users {\n  fields { tags\n// own line\n : /* two\n   lines */ list<string> }\n}\n');
  });

  it('keeps an empty line before a comment or property when the source had one', () => {
    const text = 'segment s {\n  kind value\n\n\n  // group\n  where a\n\n  tags ["x"]\n}\n';
    expect(formatChecked(text)).toBe('segment s {\n  kind value\n\n  // group\n  where a\n\n  tags ["x"]\n}\n');
  });
});

/** Offsets between two tokens (outside strings), where a comment can go. */
function gaps(text: string): number[] {
  const tokens = segspecLexer.tokenize(text).tokens;
  return tokens.map((t) => t.startOffset + t.image.length);
}

const base = `dataset users "Users" {
  source "users.csv"
  key user_id
  as of 2026-06-30
  fields { user_id: string  age: integer?  plan: enum("free", "pro")  tags: list<string> }
}
segment young "Young" {
  kind demographic
  description "People \\"under\\" 26"
  where age between 18 and 25 and not (plan in ["pro"] or tags contains any ["a", "b"])
    and signup within last 3 months or last_seen > 90 days ago and email matches "^a" and -x * 2 + 1 > y / 3
  expect size between 8% and 20% warn
  expect share(plan == "pro") >= 50%
  expect mean(age) > 20
  expect disjoint old
  example member { age: 20, plan: "free" }
  example nonmember {}
  owner "team"
  tags ["a",]
}
persona p { segment young quote "Hi" profile { age: 19 } goals ["a", "b"] pains [] jobs ["j"] channels ["c"] }
partition q { segments [young, old] exclusive exhaustive description "d" }
`;

describe('properties of the formatter', () => {
  it('keeps meaning and comments, and is idempotent, with comments anywhere between tokens', () => {
    const places = gaps(base);
    const comment = fc.oneof(
      fc.constant('// note'),
      fc.constant('/* c */'),
      fc.constant('/* two\n   lines */'),
      fc.constant('\n// own line\n'),
      fc.constant('\n\n'),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...places), comment), { maxLength: 6 }), (inserts) => {
        let text = base;
        for (const [at, raw] of [...inserts].sort((a, b) => b[0] - a[0])) {
          const insert = raw.startsWith('//') ? ` ${raw}\n` : ` ${raw} `;
          text = text.slice(0, at) + insert + text.slice(at);
        }
        formatChecked(text);
      }),
      { numRuns: 300 },
    );
  });

  it('is idempotent and keeps every comment on the sample workspaces', () => {
    const root = join(process.cwd(), 'samples');
    const files: string[] = [];
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (name.endsWith('.segspec')) files.push(path);
      }
    };
    try {
      walk(root);
    } catch {
      // no samples in this checkout
    }
    let formatted = 0;
    for (const path of files) {
      const text = readFileSync(path, 'utf8');
      if (parse(text).errors.length > 0) {
        // Samples with deliberate errors are refused, never mangled.
        expect(format(text)).toBeUndefined();
        continue;
      }
      formatChecked(text);
      formatted++;
    }
    console.log(`formatted ${formatted} of ${files.length} sample files`);
    expect(formatted).toBe(files.filter((f) => parse(readFileSync(f, 'utf8')).errors.length === 0).length);
  });
});
