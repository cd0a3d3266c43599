/** Text tests (`matches`, `starts with`, `ends with`) on a version field read the version as written, as the SQL engines do. */
import { describe, expect, it } from 'vitest';
import { Workspace } from '../../../server/src/core/workspace.js';
import { MemoryHost } from '../workspace/memory-host.js';

describe('text tests on a semver field', () => {
  it('match the version text', async () => {
    const host = new MemoryHost({
      '/ws/apps.csv': 'id,v\n1,3.10.2\n2,3.1.0\n3,2.0.0-beta.1\n4,\n',
      '/ws/spec.segspec': `dataset apps { source "apps.csv" key id fields { v: semver? } }
segment three_ten { where v matches "^3\\\\.10" }
segment threes { where v starts with "3." }
segment betas { where v ends with "beta.1" }
segment not_three_ten { where not (v matches "^3\\\\.10") }
`,
    });
    const analysis = await new Workspace(host, '/ws').analyze();
    const size = (name: string) => analysis.results.segments.get(name)?.size;
    expect(size('three_ten')).toBe(1);
    expect(size('threes')).toBe(2);
    expect(size('betas')).toBe(1);
    // The row without a version is in neither the segment nor its negation.
    expect(size('not_three_ten')).toBe(2);
  });
});
