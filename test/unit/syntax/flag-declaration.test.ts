import { describe, expect, it } from 'vitest';
import { parse, prop, props } from '../../../server/src/core/syntax/index.js';
import type { FlagDecl, SegmentDecl } from '../../../server/src/core/syntax/index.js';
import { format } from '../../../server/src/core/format/formatter.js';
import { IncrementalParser } from '../../../server/src/core/syntax/incremental.js';
import { parseClean } from './helpers.js';

const example = `
flag smart_reschedule "Smart rescheduling" {
  system growthbook
  source "flags/growthbook.json"     // the system's own file
  key "smart-reschedule"
  for students
  context { id: user_id, planTier: plan, country }
  expect reach >= 95%
  expect leak == 0 warn
  description "Reschedules lessons for students."
}
`;

function onlyFlag(text: string): FlagDecl {
  const decl = parseClean(text).declarations[0];
  expect(decl.type).toBe('Flag');
  return decl as FlagDecl;
}

describe('the flag declaration (SPEC §12)', () => {
  it('reads every property of the example in SPEC §12', () => {
    const flag = onlyFlag(example);
    expect(flag.name?.name).toBe('smart_reschedule');
    expect(flag.title?.value).toBe('Smart rescheduling');
    expect(prop(flag, 'system')?.value?.name).toBe('growthbook');
    expect(prop(flag, 'source')?.value?.value).toBe('flags/growthbook.json');
    expect(prop(flag, 'key')?.value?.value).toBe('smart-reschedule');
    expect(prop(flag, 'for')?.value.map((s) => s.name)).toEqual(['students']);
    const context = prop(flag, 'context')?.entries ?? [];
    expect(context.map((e) => [e.attribute.name, e.field?.name])).toEqual([
      ['id', 'user_id'],
      ['planTier', 'plan'],
      ['country', undefined],
    ]);
    const expects = props(flag, 'expect').map((e) => e.value);
    expect(expects.map((e) => e?.type)).toEqual(['ExpectReach', 'ExpectLeak']);
    expect(expects[0]?.bound).toMatchObject({ kind: 'compare', op: '>=', value: { type: 'Percent', value: 95 } });
    expect(expects[1]?.bound).toMatchObject({ kind: 'compare', op: '==', value: { type: 'Number', value: 0 } });
    expect(expects.map((e) => e?.warn)).toEqual([false, true]);
    expect(prop(flag, 'description')?.value?.value).toBe('Reschedules lessons for students.');
  });

  it('takes a list of segments after `for`, and a between bound', () => {
    const flag = onlyFlag('flag f { for [students, teachers,] expect reach between 90% and 100% }');
    expect(prop(flag, 'for')?.value.map((s) => s.name)).toEqual(['students', 'teachers']);
    expect(prop(flag, 'expect')?.value?.bound?.kind).toBe('between');
  });

  it('is one line when written on one line, next to other declarations', () => {
    const file = parseClean('segment students { where is_student } flag f { system unleash key "f" for students }');
    expect(file.declarations.map((d) => d.type)).toEqual(['Segment', 'Flag']);
  });

  it('keeps `system`, `context` and `for` usable as field names in a rule', () => {
    const file = parseClean('segment s { where system == "x" and context > 3 and flag }');
    expect((file.declarations[0] as SegmentDecl).properties.map((p) => p.key)).toEqual(['where']);
  });

  it('reports a misspelt property with a did-you-mean and keeps the others', () => {
    const file = parse('flag f {\n  sytem growthbook\n  key "k"\n}');
    expect(file.errors.map((e) => e.message)).toEqual([expect.stringContaining('did you mean `system`')]);
    expect(prop(file.declarations[0] as FlagDecl, 'key')?.value?.value).toBe('k');
  });

  it('says what a flag can expect', () => {
    const file = parse('flag f {\n  expect size >= 5%\n  key "k"\n}');
    expect(file.errors.map((e) => e.message)).toEqual([expect.stringContaining('`reach` or its `leak`')]);
    expect(file.errors[0].range.start.line).toBe(1);
    expect(prop(file.declarations[0] as FlagDecl, 'key')?.value?.value).toBe('k');
  });

  it('asks for the key in quotes and for the missing values', () => {
    const file = parse('flag f {\n  key\n  system\n  for\n  context\n}');
    const messages = file.errors.map((e) => e.message);
    expect(messages).toContainEqual(expect.stringContaining('key in quotes'));
    expect(messages).toContainEqual(expect.stringContaining('flag system after `system`'));
    expect(messages).toContainEqual(expect.stringContaining('segment the flag is for'));
    expect(messages).toContainEqual(expect.stringContaining('after `context`'));
  });

  it('recovers after a broken flag: the next declaration is read', () => {
    const file = parse('flag f {\n  system growthbook\n  key "k"\n\nsegment s { where age < 3 }');
    expect(file.errors.length).toBeGreaterThan(0);
    expect(file.declarations.map((d) => d.type)).toEqual(['Flag', 'Segment']);
  });

  it('a property of another declaration is named as such', () => {
    const file = parse('flag f {\n  where age < 3\n  key "k"\n}');
    expect(file.errors[0].message).toContain('not a property of a flag');
  });

  it('parses the same incrementally as whole', () => {
    const text = `segment students { where is_student }\n${example}\nsegment other { where age > 3 }\n`;
    const whole = parse(text);
    const incremental = new IncrementalParser().parse(text);
    expect(JSON.stringify(incremental.declarations)).toBe(JSON.stringify(whole.declarations));
  });
});

describe('formatting a flag', () => {
  it('lays a one-line flag out one property per line, keeping comments', () => {
    const out = format(
      'flag f "F" { system growthbook source "g.json" /* the file */ key "a-b" for [students] context {id:user_id,plan} expect reach >= 95% expect leak == 0 warn }',
    );
    expect(out).toBe(
      'flag f "F" {\n  system growthbook\n  source "g.json" /* the file */\n  key "a-b"\n  for students\n  context { id: user_id, plan }\n  expect reach >= 95%\n  expect leak == 0 warn\n}\n',
    );
    expect(format(out!)).toBe(out);
  });

  it('keeps a list of segments and breaks a long context one attribute per line', () => {
    const entries = Array.from({ length: 9 }, (_, i) => `attribute_number_${i}: field_number_${i}`).join(', ');
    const out = format(`flag f { for [a, b] context { ${entries} } }`)!;
    expect(out).toContain('  for [a, b]\n');
    expect(out).toContain('  context {\n    attribute_number_0: field_number_0,\n');
    expect(format(out)).toBe(out);
    expect(JSON.stringify(parse(out).declarations, (k, v: unknown) => (/range$/i.test(k) ? undefined : v))).toBe(
      JSON.stringify(parse(`flag f { for [a, b] context { ${entries} } }`).declarations, (k, v: unknown) => (/range$/i.test(k) ? undefined : v)),
    );
  });
});
