/** A semver field is text to `matches`, `starts with` and `ends with` (as in SQL), and still a version to comparisons. */
import { expect, it } from 'vitest';
import { hasBit } from '../../../server/src/core/engine/index.js';
import { Workspace } from '../../../server/src/core/workspace.js';
import { memoryHost } from '../flags/workspaces.js';

it('matches and starts with read a version field’s text', async () => {
  const files = {
    '/ws/d.segspec': `dataset apps { source "apps.json" key id fields { id: string, v: semver? } }
segment patterned { where v matches "^1\\\\.2" }
segment prefixed { where v starts with "2." }
segment suffixed { where not (v ends with "-beta") }
segment newer { where v > "1.10.0" }
`,
    '/ws/apps.json': JSON.stringify([{ id: 'a', v: '1.2.3' }, { id: 'b', v: '2.0.0-beta' }, { id: 'c', v: null }, { id: 'd', v: '1.10.1' }]),
  };
  const analysis = await new Workspace(memoryHost(files), '/ws').analyze();
  const rows = (name: string): boolean[] => [0, 1, 2, 3].map((i) => hasBit(analysis.results.segments.get(name)!.members!, i));
  expect(rows('patterned')).toEqual([true, false, false, false]);
  expect(rows('prefixed')).toEqual([false, true, false, false]);
  expect(rows('suffixed')).toEqual([true, false, false, true]);
  expect(rows('newer')).toEqual([false, true, false, true]);
});
