import { describe, expect, it } from 'vitest';
import { loadTableFromBytes } from '../../../server/src/core/data/index.js';
import { linkCoverage } from '../../../server/src/core/data/link-coverage.js';

const table = (text: string) => {
  const loaded = loadTableFromBytes(new TextEncoder().encode(text), 'csv', []);
  if (!loaded.table) throw new Error('no table');
  return loaded.table;
};

describe('linkCoverage: parents with related rows, orphans', () => {
  it('counts each parent once, and related rows with a missing or unknown link as orphans', () => {
    const parents = table('id,plan\n1,a\n2,b\n3,c\n4,d\n');
    const related = table('user,v\n1,x\n1,y\n3,z\n,w\n9,q\n');
    expect(linkCoverage(parents, 'id', related, 'user')).toEqual({ parents: 4, linkedParents: 2, rows: 5, orphans: 2 });
  });

  it('matches text keys exactly (case and spaces count) and says nothing for a missing column', () => {
    const parents = table('listener_id\nL1\nL2\n');
    const related = table('listener_id\nL1\nl2\n');
    expect(linkCoverage(parents, 'listener_id', related, 'listener_id')).toEqual({ parents: 2, linkedParents: 1, rows: 2, orphans: 1 });
    expect(linkCoverage(parents, 'listener_id', related, 'nope')).toBeUndefined();
  });
});
