/**
 * Found by the fuzzer (test/fuzz): a Markdown reference `@segment(xxxx…)` with
 * a name of a million characters made `segspec check` spend seconds per known
 * name on the did-you-mean (over the fuzzer's 20 s budget on a busy machine).
 */
import { describe, expect, it } from 'vitest';
import { suggest } from '../../../server/src/core/util/suggest.js';

describe('did-you-mean on absurdly long names', () => {
  it('answers at once for a name of a million characters, with no suggestion', () => {
    const names = Array.from({ length: 200 }, (_, i) => `segment_name_${i}`);
    const started = performance.now();
    expect(suggest('x'.repeat(1_000_000), names)).toEqual([]);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('still suggests close names and names that start with the word', () => {
    expect(suggest('studnets', ['students', 'seniors', 'student_teachers'])).toEqual(['students']);
    expect(suggest('rosa', ['rosa_martinez', 'otto'])).toEqual(['rosa_martinez']);
  });
});
