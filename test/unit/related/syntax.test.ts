import { describe, expect, it } from 'vitest';
import { parse, prop, type DatasetDecl, type SegmentDecl } from '../../../server/src/core/syntax/index.js';
import { format } from '../../../server/src/core/format/formatter.js';

const formatText = (text: string): string => format(text) ?? 'refused';
import { show, whereOf } from '../syntax/helpers.js';

describe('related datasets: syntax (SPEC §11)', () => {
  it('reads `belongs to PARENT by FIELD`', () => {
    const file = parse('dataset plays { source "p.jsonl" belongs to listeners by listener_id }');
    expect(file.errors).toEqual([]);
    const belongs = prop(file.declarations[0] as DatasetDecl, 'belongsTo');
    expect(belongs?.parent?.name).toBe('listeners');
    expect(belongs?.by?.name).toBe('listener_id');
  });

  it('reports each part of `belongs to` left out, where it should be', () => {
    const noBy = parse('dataset plays { belongs to listeners }');
    expect(noBy.errors.map((e) => e.message)).toEqual([expect.stringContaining('expected `by`')]);
    const noParent = parse('dataset plays { belongs to by listener_id }');
    expect(noParent.errors.map((e) => e.message)).toEqual([expect.stringContaining('expected the parent dataset')]);
    const noTo = parse('dataset plays { belongs listeners by id }');
    expect(noTo.errors[0].message).toContain('belongs to');
    const text = 'dataset plays { belongs to listeners by }';
    const noField = parse(text);
    expect(noField.errors.map((e) => e.message)).toEqual([expect.stringContaining('expected the link field')]);
    expect(noField.errors[0].range.start.offset).toBe(text.indexOf('by') + 2);
  });

  it('reads lookups and every aggregate form into the contract', () => {
    const cases: Array<[string, string]> = [
      ['survey.nps <= 6', '(<= survey.nps 6)'],
      ['count(plays) >= 50', '(>= (count plays) 50)'],
      ['count(plays where at within last 90 days) >= 50', '(>= (count plays where (within-last at 90 day)) 50)'],
      ['count(distinct plays.genre where x == 1) <= 2', '(<= (countDistinct plays.genre where (== x 1)) 2)'],
      ['sum(plays.ms_played where playlist == "dw") / 3600000 >= 2', '(>= (/ (sum plays.ms_played where (== playlist "dw")) 3600000) 2)'],
      ['p90(plays.ms_played) > 1', '(> (p90 plays.ms_played) 1)'],
      ['max(plays.at) within last 7 days', '(within-last (max plays.at) 7 day)'],
      ['min(plays.at) before 2026-02-01', '(before (min plays.at) 2026-02-01)'],
      ['mean(plays.ms) > 1 and median(plays.ms) > 2', '(and (> (mean plays.ms) 1) (> (median plays.ms) 2))'],
      ['exists(plays where genre == "jazz")', '(exists plays where (== genre "jazz"))'],
      ['not exists(plays)', '(not (exists plays))'],
    ];
    for (const [text, shape] of cases) expect(show(whereOf(text)), text).toBe(shape);
  });

  it('keeps dataset-wide functions over a bare field as calls', () => {
    expect(show(whereOf('Balance > p75(Balance)'))).toBe('(> Balance (call p75 Balance))');
    expect(show(whereOf('lower(survey.attitude) == "x"'))).toBe('(== (call lower survey.attitude) "x")');
  });

  it('tells the aggregate apart: fn, percentile, callee, dataset, field, filter and ranges', () => {
    const text = 'segment s { where p95(plays.ms where genre == "jazz") > 3 }';
    const file = parse(text);
    const where = prop(file.declarations[0] as SegmentDecl, 'where')!.value!;
    if (where.type !== 'Compare' || where.left.type !== 'Aggregate') throw new Error('not an aggregate');
    const agg = where.left;
    expect([agg.fn, agg.percentile, agg.callee.name, agg.dataset.name, agg.field?.name]).toEqual(['percentile', 95, 'p95', 'plays', 'ms']);
    const slice = (r: { start: { offset: number }; end: { offset: number } }) => text.slice(r.start.offset, r.end.offset);
    expect(slice(agg.range)).toBe('p95(plays.ms where genre == "jazz")');
    expect(slice(agg.dataset.range)).toBe('plays');
    expect(slice(agg.field!.range)).toBe('ms');
    expect(slice(agg.filter!.range)).toBe('genre == "jazz"');
  });

  it('reports misuse of the forms with the fix', () => {
    const message = (where: string) => parse(`segment s { where ${where} }`).errors.map((e) => e.message);
    expect(message('count(plays.genre) > 1')[0]).toContain('count(distinct plays.genre)');
    expect(message('exists(plays.genre)')[0]).toContain('exists(plays where genre is not missing)');
    expect(message('p90(age where x > 1) > 1')[0]).toContain('`where`');
    expect(message('p0(plays.ms) > 1')[0]).toContain('p1');
    expect(message('survey. > 1')[0]).toContain('expected a field of `survey`');
  });

  it('allows fields called distinct, by, to and belongs', () => {
    expect(show(whereOf('count(distinct where by > 1) > 0'))).toBe('(> (count distinct where (> by 1)) 0)');
    expect(show(whereOf('to == 1 and belongs == 2'))).toBe('(and (== to 1) (== belongs 2))');
    // `to` is still read as a mistaken `and` in `between`.
    expect(parse('segment s { where age between 18 to 29 }').errors.map((e) => e.message)).toEqual([
      '`between` takes `and`, not `to`: write `between 18 and 29`',
    ]);
  });

  it('reads nested related rows in examples and profiles', () => {
    const file = parse(
      'segment s { example member { plan: "duo", plays: [{ at: 2026-06-29T10:00:00Z, genre: "jazz" }, { genre: "pop" }], survey: { nps: 9 }, none: [] } }',
    );
    expect(file.errors).toEqual([]);
    const example = prop(file.declarations[0] as SegmentDecl, 'example')!.value!;
    const [plan, plays, survey, none] = example.entries.map((e) => e.value);
    expect(plan.type).toBe('String');
    expect(plays.type === 'RelatedRows' && plays.many && plays.rows.length).toBe(2);
    expect(survey.type === 'RelatedRows' && !survey.many && survey.rows[0].entries[0].key.name).toBe('nps');
    expect(none.type).toBe('List');
  });

  it('formats the new forms canonically, and the result formats to itself', () => {
    const text = [
      'dataset plays {   belongs   to listeners   by listener_id }',
      'segment s { where count( plays where at within last 90 days )>=50 and count(distinct   plays.genre)<=2 and survey . nps <= 6 and p90( plays.ms )> 1',
      ' example member { plays: [ {genre: "jazz"},{genre:"pop"} ], survey: {nps: 9} } }',
      '',
    ].join('\n');
    const once = formatText(text);
    expect(once).toContain('belongs to listeners by listener_id');
    expect(once).toContain('count(plays where at within last 90 days) >= 50');
    expect(once).toContain('count(distinct plays.genre) <= 2');
    expect(once).toContain('survey.nps <= 6');
    expect(once).toContain('p90(plays.ms) > 1');
    expect(once).toContain('plays: [{ genre: "jazz" }, { genre: "pop" }]');
    expect(once).toContain('survey: { nps: 9 }');
    expect(formatText(once)).toBe(once);
  });
});

describe('related datasets: did-you-mean in syntax errors', () => {
  const errors = (text: string) => parse(text).errors.map((e) => [e.message, e.suggestions]);
  it('proposes the word meant, once, where it was written', () => {
    expect(errors('dataset p { belong to x by y }')).toEqual([['unknown property `belong` in dataset — did you mean `belongs to`?', ['belongs to']]]);
    expect(errors('dataset p { belongs too x by y }')).toEqual([['write `belongs to`, not `belongs too`', ['to']]]);
    expect(errors('segment s { where count(distnct plays.genre) > 1 }')).toEqual([['unknown word `distnct` — did you mean `distinct`?', ['distinct']]]);
    expect(errors('segment s { where count(plays wher x > 1) > 1 }')).toEqual([['unknown word `wher` — did you mean `where`?', ['where']]]);
  });

  it('still reads the rest as meant', () => {
    const file = parse('dataset p { belongs too x by y } segment s { where count(distnct plays.genre) > 1 and count(plays wher x > 1) > 1 }');
    expect(file.declarations.map((d) => d.type)).toEqual(['Dataset', 'Segment']);
    const belongs = prop(file.declarations[0] as DatasetDecl, 'belongsTo');
    expect([belongs?.parent?.name, belongs?.by?.name]).toEqual(['x', 'y']);
    const where = prop(file.declarations[1] as SegmentDecl, 'where')!.value!;
    expect(show(where)).toBe('(and (> (countDistinct plays.genre) 1) (> (count plays where (> x 1)) 1))');
  });
});
