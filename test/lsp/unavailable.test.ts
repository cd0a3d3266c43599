/**
 * What the editor shows for numbers that depend on an error (issue 11): the
 * lens, hovers, preview data and Markdown chips say "unavailable" with the
 * reason, never a size or "✓"; a contradiction is an empty segment.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CodeLensRequest, HoverRequest, type MarkupContent } from 'vscode-languageserver-protocol';
import { PreviewRequestMethod, ReferencesInfoRequestMethod, type PreviewData, type ReferencesInfoResult } from '../../server/src/lsp/protocol.js';
import { renderChip } from '../../client/src/markdown-plugin.js';
import { TestClient, copyFixture } from './harness.js';

describe('numbers that depend on an error, in the editor', () => {
  let client: TestClient;
  beforeAll(async () => {
    client = await TestClient.start(copyFixture('unavailable'));
    await client.open('spec.segspec');
    await client.open('roadmap.md');
  });
  afterAll(async () => {
    await client.stop();
  });

  const positionOf = (file: string, anchor: string) => {
    const text = client.textOf(file);
    const at = text.indexOf(anchor);
    if (at < 0) throw new Error(`anchor not found: ${anchor}`);
    const before = text.slice(0, at);
    return { line: before.split('\n').length - 1, character: at - before.lastIndexOf('\n') - 1 };
  };
  const hoverAt = async (file: string, anchor: string): Promise<string> => {
    const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: client.uri(file) }, position: positionOf(file, anchor) });
    return (hover?.contents as MarkupContent | undefined)?.value ?? '';
  };

  it('code lenses: unavailable with the reason for a dependent segment and the partition; empty for a contradiction', async () => {
    const lenses = (await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: client.uri('spec.segspec') } })) ?? [];
    const title = (anchor: string) => lenses.find((l) => l.range.start.line === positionOf('spec.segspec', anchor).line)?.command?.title;
    expect(title('segment high_not_mid')).toBe('unavailable: depends on `mid`, which has an error');
    // Its own rule has the error: the lens says so in three words, the message is the diagnostic's (issue 17).
    expect(title('segment mid')).toBe('rule has an error');
    expect(title('partition by_age')).toMatch(/^3 segments · unavailable: `older` is unavailable: its rule has an error \(SEG004\)/);
    expect(title('segment never')).toBe('0 people · 0.0%');
    expect(title('segment high ')).toBe('4 people · 66.7%');
    // A persona of an unavailable segment: neither a size nor a verdict on its profile.
    expect(title('persona pat')).toBe('persona of high_not_mid');
  });

  it('hovers: the segment and its expectation are unavailable, with the reason', async () => {
    const segment = await hoverAt('spec.segspec', 'high_not_mid {');
    expect(segment).toContain('**Unavailable:** depends on \\`mid\\`, which has an error');
    expect(segment).not.toMatch(/people ·/);
    const expectation = await hoverAt('spec.segspec', 'size >= 1');
    expect(expectation).toBe('**? unavailable** — depends on \\`mid\\`, which has an error');
    const markdown = await hoverAt('roadmap.md', 'high_not_mid)');
    expect(markdown).toContain('**Unavailable:**');
  });

  it('preview data and Markdown chips: no size, status unavailable, the reason in the tooltip', async () => {
    const preview = await client.connection.sendRequest<PreviewData>(PreviewRequestMethod, { segment: 'high_not_mid' });
    const seg = preview.segments.find((s) => s.name === 'high_not_mid')!;
    expect(seg).toMatchObject({ status: 'unavailable', reason: 'depends on `mid`, which has an error' });
    expect(seg.size).toBeUndefined();
    const part = preview.partitions.find((p) => p.name === 'by_age')!;
    expect(part.uncovered).toBeUndefined();
    expect(part.overlapping).toBeUndefined();
    expect(part.reason).toMatch(/^`older` is unavailable/);

    const info = await client.connection.sendRequest<ReferencesInfoResult>(ReferencesInfoRequestMethod, {});
    expect(info.segments.high_not_mid).toMatchObject({ status: 'unavailable', reason: 'depends on `mid`, which has an error' });
    expect(info.segments.high_not_mid.size).toBeUndefined();
    const chip = renderChip('segment', 'high_not_mid', info.segments.high_not_mid);
    expect(chip).toContain('segspec-chip-unavailable');
    expect(chip).toContain('<span class="segspec-chip-size">unavailable</span>');
    expect(chip).toContain('title="segment high_not_mid — unavailable: depends on `mid`, which has an error — open its definition"');
    expect(renderChip('segment', 'high', info.segments.high)).toContain('>4 people · 66.7%<');
  });
});
