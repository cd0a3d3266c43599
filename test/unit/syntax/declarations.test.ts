import { describe, expect, it } from 'vitest';
import { parse, prop, props } from '../../../server/src/core/syntax/index.js';
import type {
  DatasetDecl,
  Expectation,
  PartitionDecl,
  PersonaDecl,
  SegmentDecl,
} from '../../../server/src/core/syntax/index.js';
import { names, parseClean, show } from './helpers.js';

const dataset = `
dataset users "Product users" {
  source "data/users.csv"
  table "analytics.users"
  key user_id
  as of 2026-06-30          // reference date
  description "Everyone who signed up."
  fields {
    user_id: string
    age: integer
    plan: enum("free", "pro", "team", "enterprise")
    device: enum            // values from the data
    seats: integer?
    ltv_usd: number
    is_student: boolean
    signup_date: date
    last_seen: datetime
    app_version: semver
    integrations: list<string>
    scores: list<integer>?
    kind: string
    size: integer
  }
}`;

describe('dataset', () => {
  const file = parseClean(dataset);
  const decl = file.declarations[0] as DatasetDecl;

  it('reads name, title and every property', () => {
    expect(decl.type).toBe('Dataset');
    expect(decl.name?.name).toBe('users');
    expect(decl.title?.value).toBe('Product users');
    expect(decl.properties.map((p) => p.key)).toEqual(['source', 'table', 'key', 'asOf', 'description', 'fields']);
    expect(prop(decl, 'source')?.value?.value).toBe('data/users.csv');
    expect(prop(decl, 'table')?.value?.value).toBe('analytics.users');
    expect(prop(decl, 'key')?.value?.name).toBe('user_id');
    expect(prop(decl, 'asOf')?.value?.value).toBe('2026-06-30');
    expect(prop(decl, 'description')?.value?.value).toBe('Everyone who signed up.');
  });

  it('reads every field type, optional marks, enum values and list element types', () => {
    const fields = prop(decl, 'fields')?.fields ?? [];
    const rendered = fields.map((f) => {
      const type = f.fieldType;
      if (!type) return `${f.name.name}: ?`;
      const values = type.enumValues ? `(${type.enumValues.map((v) => v.value).join(',')})` : '';
      const element = type.element ? `<${type.element}>` : '';
      return `${f.name.name}: ${type.name}${element}${values}${type.optional ? '?' : ''}`;
    });
    expect(rendered).toEqual([
      'user_id: string',
      'age: integer',
      'plan: enum(free,pro,team,enterprise)',
      'device: enum',
      'seats: integer?',
      'ltv_usd: number',
      'is_student: boolean',
      'signup_date: date',
      'last_seen: datetime',
      'app_version: semver',
      'integrations: list<string>',
      'scores: list<integer>?',
      'kind: string',
      'size: integer',
    ]);
    const device = fields.find((f) => f.name.name === 'device');
    expect(device?.fieldType?.enumValues).toBeUndefined();
  });

  it('reports an unknown type with a suggestion and keeps the field', () => {
    const broken = parse('dataset d { fields { a: strng\n b: integer } }');
    expect(broken.errors).toHaveLength(1);
    expect(broken.errors[0].message).toContain('unknown type `strng`');
    expect(broken.errors[0].message).toContain('did you mean `string`?');
    expect(broken.errors[0].suggestions).toEqual(['string']);
    const fields = prop(broken.declarations[0] as DatasetDecl, 'fields')?.fields ?? [];
    expect(fields.map((f) => f.fieldType?.unknownName ?? f.fieldType?.name)).toEqual(['strng', 'integer']);
  });
});

const segment = `
segment freelancers "Freelancers" {
  kind behavioral
  description "Independent professionals who bill clients by the hour."
  from users
  where job in ["designer", "developer", "writer"]
    and plan != "enterprise"
    and integrations contains "invoicing"
  expect size between 8% and 20%
  expect size >= 500
  expect size < 5% warn
  expect share(device == "desktop") >= 50%
  expect mean(ltv_usd) between 100 and 400
  expect p90(sessions_30d) > 20 warn
  expect median(age) == 30
  expect min(age) >= 18
  expect max(age) <= 99
  expect disjoint students
  expect overlap(students) < 10%
  expect subset of professionals
  example member { job: "designer", plan: "pro", integrations: ["invoicing"] }
  example nonmember { job: "designer", plan: "enterprise" }
  owner "growth-team"
  tags ["q3", "monetization"]
}`;

function describeExpectation(e: Expectation | undefined): string {
  if (!e) return '?';
  const bound =
    'bound' in e && e.bound
      ? e.bound.kind === 'compare'
        ? ` ${e.bound.op} ${e.bound.value.raw}`
        : ` between ${e.bound.low.raw} and ${e.bound.high.raw}`
      : '';
  const warn = e.warn ? ' warn' : '';
  switch (e.type) {
    case 'ExpectSize':
      return `size${bound}${warn}`;
    case 'ExpectShare':
      return `share(${show(e.expr)})${bound}${warn}`;
    case 'ExpectAggregate':
      return `${e.fn.name}(${show(e.arg)})${bound}${warn}`;
    case 'ExpectDisjoint':
      return `disjoint ${e.segment?.name}${warn}`;
    case 'ExpectOverlap':
      return `overlap(${e.segment?.name})${bound}${warn}`;
    case 'ExpectSubset':
      return `subset of ${e.segment?.name}${warn}`;
  }
}

describe('segment', () => {
  const decl = parseClean(segment).declarations[0] as SegmentDecl;

  it('reads the simple properties', () => {
    expect(decl.name?.name).toBe('freelancers');
    expect(decl.title?.value).toBe('Freelancers');
    expect(prop(decl, 'kind')?.value?.name).toBe('behavioral');
    expect(prop(decl, 'from')?.value?.name).toBe('users');
    expect(prop(decl, 'owner')?.value?.value).toBe('growth-team');
    expect(show(prop(decl, 'tags')!.value!)).toBe('["q3" "monetization"]');
    expect(show(prop(decl, 'where')!.value!)).toBe(
      '(and (and (in job ["designer" "developer" "writer"]) (!= plan "enterprise")) (contains-one integrations "invoicing"))',
    );
  });

  it('reads every form of expect (SPEC §6.4), with trailing warn', () => {
    expect(props(decl, 'expect').map((p) => describeExpectation(p.value))).toEqual([
      'size between 8% and 20%',
      'size >= 500',
      'size < 5% warn',
      'share((== device "desktop")) >= 50%',
      'mean(ltv_usd) between 100 and 400',
      'p90(sessions_30d) > 20 warn',
      'median(age) == 30',
      'min(age) >= 18',
      'max(age) <= 99',
      'disjoint students',
      'overlap(students) < 10%',
      'subset of professionals',
    ]);
  });

  it('reads member and nonmember examples as records', () => {
    const examples = props(decl, 'example');
    expect(examples.map((e) => e.member)).toEqual([true, false]);
    expect(examples[0].value?.entries.map((e) => `${e.key.name}=${e.value.type === 'RelatedRows' ? 'rows' : show(e.value)}`)).toEqual([
      'job="designer"',
      'plan="pro"',
      'integrations=["invoicing"]',
    ]);
  });

  it('keeps properties in source order', () => {
    const offsets = decl.properties.map((p) => p.range.start.offset);
    expect([...offsets].sort((a, b) => a - b)).toEqual(offsets);
  });

  it('does not need line breaks', () => {
    const one = parseClean('segment young { kind demographic where age < 25 }');
    const young = one.declarations[0] as SegmentDecl;
    expect(prop(young, 'kind')?.value?.name).toBe('demographic');
    expect(show(prop(young, 'where')!.value!)).toBe('(< age 25)');
  });

  it('accepts a segment without where (a draft) and an empty body', () => {
    const draft = parseClean('segment draft "Later" { kind value }\nsegment empty {}');
    expect(names(draft)).toEqual(['segment draft', 'segment empty']);
  });
});

describe('persona', () => {
  const decl = parseClean(`
persona fiona "Freelance Fiona" {
  segment freelancers
  quote "Every minute on admin is a minute I can't bill."
  description "A designer."
  profile { age: 31, job: "designer", plan: "pro", device: "desktop", integrations: ["invoicing"] }
  goals ["Send an invoice in under a minute", "Track time across clients"]
  pains ["Chasing late payments", "Switching between five tools",]
  jobs ["Turn tracked hours into an invoice"]
  channels ["YouTube tutorials", "Freelancer communities"]
}`).declarations[0] as PersonaDecl;

  it('reads every property', () => {
    expect(decl.properties.map((p) => p.key)).toEqual([
      'segment',
      'quote',
      'description',
      'profile',
      'goals',
      'pains',
      'jobs',
      'channels',
    ]);
    expect(prop(decl, 'segment')?.value?.name).toBe('freelancers');
    expect(prop(decl, 'quote')?.value?.value).toBe("Every minute on admin is a minute I can't bill.");
    expect(prop(decl, 'profile')?.value?.entries.map((e) => e.key.name)).toEqual([
      'age',
      'job',
      'plan',
      'device',
      'integrations',
    ]);
    const pains = decl.properties.find((p) => p.key === 'pains');
    expect(pains?.key === 'pains' && pains.value?.items).toHaveLength(2);
  });

  it('accepts a record without commas, over several lines', () => {
    const file = parseClean('persona p { segment s profile {\n  age: 31\n  plan: "pro"\n} }');
    expect(prop(file.declarations[0] as PersonaDecl, 'profile')?.value?.entries).toHaveLength(2);
  });
});

describe('partition', () => {
  it('reads segments and the two flags', () => {
    const decl = parseClean(`
partition plan_tiers "Plan tiers" {
  segments [free_users, pro_users, enterprise_users,]
  exclusive      // no user in two of them
  exhaustive     // every user in one of them
  description "By plan."
}`).declarations[0] as PartitionDecl;
    expect(decl.title?.value).toBe('Plan tiers');
    expect(prop(decl, 'segments')?.value.map((s) => s.name)).toEqual(['free_users', 'pro_users', 'enterprise_users']);
    expect(prop(decl, 'exclusive')).toBeDefined();
    expect(prop(decl, 'exhaustive')).toBeDefined();
    expect(prop(decl, 'description')?.value?.value).toBe('By plan.');
  });
});

describe('files', () => {
  it('reads several declarations of every kind in order, and the comments', () => {
    const file = parseClean(`// header
${dataset}
/* block
   comment */
${segment}
persona p { segment freelancers }
partition q { segments [freelancers] }`);
    expect(names(file)).toEqual(['dataset users', 'segment freelancers', 'persona p', 'partition q']);
    expect(file.comments.map((c) => [c.block, c.text.split('\n')[0]])).toEqual([
      [false, '// header'],
      [false, '// reference date'],
      [false, '// values from the data'],
      [true, '/* block'],
    ]);
  });

  it('gives an empty file no declarations and no errors', () => {
    expect(parse('').declarations).toEqual([]);
    expect(parse('  // only a comment\n').errors).toEqual([]);
  });

  it('reports a property given to the wrong kind of declaration', () => {
    const file = parse('persona p { segment s where age > 3 }\ndataset d { owner "x" }');
    expect(file.errors.map((e) => [e.range.start.line, e.message])).toEqual([
      [0, '`where` is not a property of a persona'],
      [1, '`owner` is not a property of a dataset'],
    ]);
    expect(names(file)).toEqual(['persona p', 'dataset d']);
  });
});
