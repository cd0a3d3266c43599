import { describe, expect, it } from 'vitest';
import { analyzeStatic } from '../semantics/helpers.js';
import type { FieldTypeInfo } from '../../../server/src/core/semantics/index.js';

const listeners = `dataset listeners {
  source "listeners.csv"
  key listener_id
  as of 2026-06-30
  fields { listener_id: string, plan: enum("free", "duo"), age: integer }
}
`;
const plays = `dataset plays {
  source "plays.jsonl"
  belongs to listeners by listener_id
  fields { listener_id: string, at: datetime, genre: enum, ms_played: integer, playlist: enum? }
}
`;
const survey = `dataset survey {
  source "survey.csv"
  key listener_id
  belongs to listeners by listener_id
  fields { listener_id: string, nps: integer?, attitude: enum("explorer", "loyal"), pains: list<string> }
}
`;

/** Field types as if each dataset's data had been read (so unknown names are reported). */
function complete(...names: string[]): Map<string, Map<string, FieldTypeInfo>> {
  return new Map(names.map((n) => [n, new Map<string, FieldTypeInfo>()]));
}

function check(rule: string, extra = '') {
  const { model, findings } = analyzeStatic(
    { 'a.segspec': `${listeners}${plays}${survey}${extra}segment s { from listeners where ${rule} }\n` },
    complete('listeners', 'plays', 'survey'),
  );
  return { model, findings };
}

describe('related datasets: model and static checks (SPEC §11)', () => {
  it('builds each link and lists the related datasets of a parent', () => {
    const { model, findings } = check('count(plays) > 1');
    expect(findings).toEqual([]);
    expect(model.datasets.get('plays')!.link).toEqual({ parent: 'listeners', by: 'listener_id', oneToOne: false });
    expect(model.datasets.get('survey')!.link).toEqual({ parent: 'listeners', by: 'listener_id', oneToOne: true });
    expect(model.relatedOf('listeners').map((d) => d.name)).toEqual(['plays', 'survey']);
    expect(model.relatedOf('plays')).toEqual([]);
  });

  it('accepts every valid form without findings', () => {
    const rules = [
      'survey.attitude == "explorer" and survey.nps <= 6',
      'count(plays where at within last 90 days) >= 50 and count(distinct plays.genre where at within last 90 days) <= 2',
      'sum(plays.ms_played where playlist == "discover_weekly") / 3600000 >= 2',
      'max(plays.at) within last 7 days and min(plays.at) before 2026-02-01',
      'p90(plays.ms_played) > 1000 and mean(plays.ms_played) > 1 and median(plays.ms_played) > 1',
      'exists(plays where genre == "jazz") and not exists(survey)',
    ];
    for (const rule of rules) expect(check(rule).findings, rule).toEqual([]);
  });

  it('resolves names inside an aggregate filter against the related dataset', () => {
    const { model, findings } = check('count(plays where genre == "jazz" and long) > 1', 'segment long { from plays where ms_played > 60000 }\n');
    expect(findings).toEqual([]);
    const resolved = [...model.names.values()];
    expect(resolved).toContainEqual({ kind: 'field', dataset: 'plays', name: 'genre' });
    expect(resolved).toContainEqual({ kind: 'segment', name: 'long' });
    expect(model.segments.get('s')!.uses).toContain('long');
  });

  it('reports unknown related datasets and fields with did-you-mean', () => {
    const unknown = check('count(plyas) > 1').findings;
    expect(unknown.map((f) => f.code)).toEqual(['SEG040']);
    expect(unknown[0].message).toContain('did you mean `plays`');
    const field = check('max(plays.att) within last 7 days').findings;
    expect(field.map((f) => f.code)).toEqual(['SEG041']);
    expect(field[0].message).toContain('`at`');
    const inFilter = check('count(plays where genr == "jazz") > 1').findings;
    expect(inFilter.map((f) => f.code)).toEqual(['SEG041']);
    expect(inFilter[0].message).toContain('`genre`');
    const misspelt = check('cout(plays) > 1').findings;
    expect(misspelt.map((f) => f.code)).toContain('SEG017');
    expect(misspelt.find((f) => f.code === 'SEG017')!.message).toContain('did you mean `count`');
    const lookup = check('survey.np > 1').findings;
    expect(lookup.map((f) => f.code)).toEqual(['SEG041']);
  });

  it('reports a lookup into a many-per-parent dataset and proposes an aggregate', () => {
    const findings = check('plays.at within last 7 days').findings;
    expect(findings.map((f) => f.code)).toEqual(['SEG043']);
    expect(findings[0].message).toContain('count(plays)');
    expect(findings[0].message).toContain('max(plays.at)');
  });

  it('reports a dataset that is not related to the segment\'s dataset', () => {
    const findings = check('count(others) > 1', 'dataset others { source "o.csv" }\n').findings;
    expect(findings.map((f) => f.code)).toEqual(['SEG042']);
    expect(findings[0].message).toContain('belongs to listeners');
  });

  it('reports aggregates nested inside an aggregate', () => {
    const findings = check('count(plays where ms_played > mean(plays.ms_played)) > 1').findings;
    expect(findings.map((f) => f.code)).toEqual(['SEG048']);
  });

  it('type-checks the aggregated field and the result', () => {
    expect(check('sum(plays.genre) > 1').findings.map((f) => f.code)).toEqual(['SEG049']);
    expect(check('min(survey.pains) > 1').findings.map((f) => f.code)).toContain('SEG049');
    expect(check('count(distinct survey.pains) > 1').findings.map((f) => f.code)).toEqual(['SEG049']);
    // max over a date-time is a date-time: compared with a number it is a type error.
    expect(check('max(plays.at) > 3').findings.map((f) => f.code)).toEqual(['SEG011']);
    // the filter must be a condition on the related row
    expect(check('count(plays where ms_played) > 1').findings.map((f) => f.code)).toEqual(['SEG026']);
    expect(check('survey.attitude == "explorr"').findings.map((f) => f.code)).toEqual(['SEG014']);
  });

  it('checks the links: parent key, link field and types, two parents, cycles', () => {
    const run = (extra: string) =>
      analyzeStatic({ 'a.segspec': `${listeners}${extra.replace(/dataset (\w+) \{/g, 'dataset $1 { source "$1.csv"')}` }, complete('listeners', 'x', 'y')).findings.map(
        (f) => f.code,
      );
    expect(run('dataset x { belongs to nobody by id }')).toEqual(['SEG005']);
    expect(run('dataset y { key id fields { id: string } } dataset x { belongs to y by ident fields { id: string } }')).toEqual(['SEG050']);
    expect(run('dataset y { fields { id: string } } dataset x { belongs to y by id fields { id: string } }')).toEqual(['SEG044']);
    expect(run('dataset x { belongs to listeners by lid fields { lid: integer } }')).toEqual(['SEG045']);
    expect(run('dataset x { belongs to listeners by listener_id belongs to listeners by listener_id fields { listener_id: string } }')).toEqual(['SEG046']);
    expect(
      run('dataset x { key id belongs to y by id fields { id: string } } dataset y { key id belongs to x by id fields { id: string } }'),
    ).toEqual(['SEG047', 'SEG047']);
  });

  it('records references from lookups, aggregates and nested rows for definition and rename', () => {
    const { model } = check('survey.nps > 1 and count(plays where genre == "x") > 1');
    const refs = model.references.map((r) => `${r.expected}:${r.name}->${r.target ? JSON.stringify(r.target) : '?'}`);
    expect(refs).toContain('dataset:survey->{"kind":"dataset","name":"survey"}');
    expect(refs).toContain('field:nps->{"kind":"field","dataset":"survey","name":"nps"}');
    expect(refs).toContain('fieldOrSegment:genre->{"kind":"field","dataset":"plays","name":"genre"}');
    expect(refs).toContain('dataset:listeners->{"kind":"dataset","name":"listeners"}');
  });

  it('checks nested related rows in examples against the related dataset', () => {
    const ok = check('count(plays) > 0 } segment t { from listeners where age > 1 example member { age: 3, plays: [{ genre: "x" }], survey: { nps: 3 } }');
    expect(ok.findings).toEqual([]);
    const bad = check('count(plays) > 0 } segment t { from listeners where age > 1 example member { age: 3, plays: [{ genr: "x" }], plyas: [{ genre: "x" }] }');
    expect(bad.findings.map((f) => f.code).sort()).toEqual(['SEG024', 'SEG040']);
  });
});
