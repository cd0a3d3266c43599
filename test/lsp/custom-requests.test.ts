/** The `segspec/*` requests behind the preview panel, the Markdown chips and the explain commands. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient, copySample, cursor } from './harness.js';
import {
  ExplainCodeRequestMethod,
  ExplainRowRequestMethod,
  PreviewRequestMethod,
  ReferencesInfoRequestMethod,
  type ExplainCodeResult,
  type ExplainRowResult,
  type PreviewData,
  type ReferencesInfoResult,
} from '../../server/src/lsp/protocol.js';

describe('segspec/* requests', () => {
  let client: TestClient;
  beforeAll(async () => {
    client = await TestClient.start(copySample('productivity'));
    await client.open('segments.segspec');
  });
  afterAll(async () => {
    await client.stop();
  });

  it('gives the preview data for the segment under the cursor', async () => {
    const text = client.textOf('segments.segspec');
    const at = text.indexOf('segment freelancers');
    const { position } = cursor(`${text.slice(0, at + 30)}┆${text.slice(at + 30)}`);
    const data = await client.connection.sendRequest<PreviewData>(PreviewRequestMethod, { uri: client.uri('segments.segspec'), position });
    expect(data.datasets).toEqual([expect.objectContaining({ name: 'users', rows: 8000, loaded: true })]);
    expect(data.segments.length).toBeGreaterThanOrEqual(19);
    const sizes = new Map(data.segments.map((s) => [s.name, s.size]));
    const n = data.overlaps.names.length;
    expect(n).toBeGreaterThan(10);
    data.overlaps.names.forEach((name, i) => {
      expect(data.overlaps.counts[i][i]).toBe(sizes.get(name));
      for (let j = 0; j < n; j++) {
        expect(data.overlaps.counts[i][j]).toBe(data.overlaps.counts[j][i]);
        expect(data.overlaps.counts[i][j]).toBeLessThanOrEqual(data.overlaps.counts[i][i]);
      }
    });
    expect(data.coverage[0]).toMatchObject({ dataset: 'users', rows: 8000 });
    expect(data.partitions.find((p) => p.name === 'activity')).toMatchObject({ exclusive: true, exhaustive: true, uncovered: 0, overlapping: 0 });
    expect(data.personas.map((p) => p.name)).toEqual(expect.arrayContaining(['sam', 'fiona']));
    expect(data.selected?.name).toBe('freelancers');
    expect(data.selected?.columns.at(-1)).toBe('user_id');
    expect(data.selected?.sample.length).toBeGreaterThan(0);
    expect(data.selected?.expectations.every((e) => typeof e.passed === 'boolean')).toBe(true);
  });

  it('explains clause by clause why a row is or is not a member', async () => {
    const data = await client.connection.sendRequest<PreviewData>(PreviewRequestMethod, { segment: 'freelancers' });
    const key = data.selected!.sample[0][data.selected!.keyField!];
    const member = await client.connection.sendRequest<ExplainRowResult>(ExplainRowRequestMethod, { segment: 'freelancers', key });
    expect(member.member).toBe(true);
    expect(member.text).toContain(`${key} is a member of freelancers`);
    expect(member.text).toContain('✓');
    // A nested Markdown list with the row's values, and the same tree as escaped HTML for the preview.
    expect(member.text).toMatch(/^ *- ✓ `lower\(job\) starts with "freelance"` — lower\(job\) = "freelance[^"]*", needs to start with "freelance"$/m);
    expect(member.html).toMatch(/^<ul class="explanation-tree">.*<li><span class="mark true">✓<\/span> <code>lower\(job\) starts with &quot;freelance&quot;<\/code>/);
    const other = await client.connection.sendRequest<PreviewData>(PreviewRequestMethod, { segment: 'core_power_users' });
    const powerKey = other.selected!.sample[0][other.selected!.keyField!];
    const drilled = await client.connection.sendRequest<ExplainRowResult>(ExplainRowRequestMethod, { segment: 'core_power_users', key: powerKey });
    expect(drilled.text).toContain('`power_users` — a member of **power_users** "Power users"');
    expect(drilled.html).toContain('<details><summary>');
    const unknown = await client.connection.sendRequest<ExplainRowResult>(ExplainRowRequestMethod, { segment: 'freelancers', key: 'nobody' });
    expect(unknown.member).toBeUndefined();
    expect(unknown.text).toContain('No row');
  });

  it('gives the size and title of every segment for the Markdown chips', async () => {
    const info = await client.connection.sendRequest<ReferencesInfoResult>(ReferencesInfoRequestMethod, {});
    expect(info.segments.freelancers).toMatchObject({ kind: 'segment', title: 'Freelancers' });
    expect(info.segments.freelancers.size).toBeGreaterThan(0);
    expect(info.personas.fiona).toMatchObject({ kind: 'persona', title: 'Freelance Fiona', segment: 'freelancers', segmentTitle: 'Freelancers' });
    // Each links to its definition.
    expect(info.segments.freelancers.location).toMatchObject({ uri: client.uri('segments.segspec') });
    const text = client.textOf('segments.segspec');
    expect(text.split('\n')[info.segments.freelancers.location!.startLine]).toMatch(/^segment freelancers /);
  });

  it('explains a diagnostic code from the catalog', async () => {
    const entry = await client.connection.sendRequest<ExplainCodeResult | null>(ExplainCodeRequestMethod, { code: 'SEG004' });
    expect(entry?.title).toBe('Unknown field');
    expect(await client.connection.sendRequest(ExplainCodeRequestMethod, { code: 'NOPE' })).toBeNull();
  });
});
