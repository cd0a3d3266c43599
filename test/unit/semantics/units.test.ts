/** The word a dataset's rows are counted in: `unit "customers"`, else its title or name, else "rows". */
import { describe, expect, it } from 'vitest';
import { format } from '../../../server/src/core/format/formatter.js';
import { parse, prop, type DatasetDecl } from '../../../server/src/core/syntax/index.js';
import { datasetUnit, singularOf } from '../../../server/src/core/semantics/units.js';
import { analyzeStatic } from './helpers.js';

const unitOf = (header: string, body = ''): string => {
  const { model } = analyzeStatic({ 'data.segspec': `${header} {\n  source "x.csv"\n${body}}\n` });
  const name = [...model.datasets.keys()][0];
  return datasetUnit(model, name).many;
};

describe('dataset units', () => {
  it('parses `unit "customers"` as a dataset property, and the formatter keeps it', () => {
    const text = 'dataset bank "Bank" {\n  source "data/bank.csv"\n  unit "customers"\n  key id\n}\n';
    const file = parse(text);
    expect(file.errors).toEqual([]);
    const decl = file.declarations[0] as DatasetDecl;
    expect(prop(decl, 'unit')?.value?.value).toBe('customers');
    expect(format(text)).toBe(text);
    const { findings } = analyzeStatic({ 'data.segspec': text });
    expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('says what is wrong with a unit without its text', () => {
    const file = parse('dataset bank {\n  source "b.csv"\n  unit\n}\n');
    expect(file.errors.map((e) => e.message).join(' ')).toMatch(/text in quotes after `unit`/);
  });

  it('takes the declared unit first, then a plural title or name, then "rows"', () => {
    expect(unitOf('dataset bank "Bank"', '  unit "customers"\n')).toBe('customers');
    expect(unitOf('dataset accounts "Accounts"')).toBe('accounts');
    expect(unitOf('dataset churn "Customers"')).toBe('customers');
    expect(unitOf('dataset listeners "Streaming listeners"')).toBe('listeners');
    expect(unitOf('dataset bank "Bank customers"')).toBe('customers');
    expect(unitOf('dataset bank_data "Bank data"')).toBe('rows');
    expect(unitOf('dataset data')).toBe('rows');
    expect(unitOf('dataset status')).toBe('rows');
    expect(unitOf('dataset people')).toBe('people');
  });

  it('has a singular for a count of one', () => {
    expect(singularOf('customers')).toBe('customer');
    expect(singularOf('companies')).toBe('company');
    expect(singularOf('boxes')).toBe('box');
    expect(singularOf('people')).toBe('person');
    expect(singularOf('staff')).toBe('staff');
  });
});
