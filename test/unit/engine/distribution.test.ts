import { describe, expect, it } from 'vitest';
import { loadTableFromBytes } from '../../../server/src/core/data/index.js';
import { distributionOf } from '../../../server/src/core/engine/distribution.js';

const column = (text: string) => {
  const table = loadTableFromBytes(new TextEncoder().encode(text), 'csv', []).table;
  if (!table) throw new Error('no table');
  return table.columns[0];
};

describe('distributionOf: a per-parent value over the parents', () => {
  it('min, median, p90 (interpolated) and max of the present values, with zeros and missing counted', () => {
    // 0, 0, 1, 2, 3 and one missing: p90 of five values sits at rank 3.6 → 2 + 0.6.
    expect(distributionOf(column('n,id\n3,a\n0,b\n,c\n1,d\n0,e\n2,f\n'))).toEqual({ rows: 6, present: 5, zero: 2, min: 0, median: 1, p90: 2.6, max: 3 });
  });

  it('says nothing about values when none is present', () => {
    expect(distributionOf(column('n,x\n,1\n,2\n'))).toEqual({ rows: 2, present: 0, zero: 0 });
  });
});
