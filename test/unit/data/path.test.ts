import { describe, expect, it } from 'vitest';
import { loadDataset, resolveDataPath } from '../../../server/src/core/data/index.js';
import { MemoryHost } from './memory-host.js';
import { fields, rangeOn } from './fixtures.js';

describe('resolveDataPath', () => {
  it('resolves relative to the spec file folder', () => {
    expect(resolveDataPath('/ws/specs/users.segspec', 'data/users.csv', '/ws')).toEqual({ ok: true, path: '/ws/specs/data/users.csv' });
    expect(resolveDataPath('/ws/specs/users.segspec', '../data/users.csv', '/ws')).toEqual({ ok: true, path: '/ws/data/users.csv' });
    expect(resolveDataPath('/ws/specs/users.segspec', './a/./b/../u.csv', '/ws')).toEqual({ ok: true, path: '/ws/specs/a/u.csv' });
  });

  it('refuses paths that leave the workspace', () => {
    for (const source of ['../../etc/passwd', '../../../../../x.csv', '/etc/passwd', '/ws-other/x.csv', '..\\..\\x.csv']) {
      const resolved = resolveDataPath('/ws/specs/users.segspec', source, '/ws');
      expect(resolved.ok, source).toBe(false);
      expect(!resolved.ok && resolved.code).toBe('SEG100');
    }
  });

  it('accepts an absolute path inside the workspace', () => {
    expect(resolveDataPath('/ws/users.segspec', '/ws/data/u.csv', '/ws')).toEqual({ ok: true, path: '/ws/data/u.csv' });
  });

  it('handles Windows paths', () => {
    expect(resolveDataPath('C:\\ws\\users.segspec', 'data\\u.csv', 'C:\\ws')).toEqual({ ok: true, path: 'C:\\ws\\data\\u.csv' });
    expect(resolveDataPath('C:\\ws\\users.segspec', '..\\u.csv', 'C:\\ws').ok).toBe(false);
    expect(resolveDataPath('C:\\ws\\users.segspec', 'D:\\ws\\u.csv', 'C:\\ws').ok).toBe(false);
  });

  it('refuses URLs and empty paths', () => {
    expect(resolveDataPath('/ws/a.segspec', 'https://example.com/u.csv', '/ws')).toMatchObject({ ok: false, code: 'SEG102' });
    expect(resolveDataPath('/ws/a.segspec', '  ', '/ws')).toMatchObject({ ok: false, code: 'SEG101' });
  });
});

describe('loadDataset', () => {
  const sourceRange = rangeOn(2, 9, 27);
  const request = (host: MemoryHost, source: string) => ({
    host,
    specFile: '/ws/specs/users.segspec',
    workspaceRoot: '/ws',
    source,
    sourceRange,
    declaredFields: fields('id: string\nage: integer'),
    keyField: 'id',
    keyRange: rangeOn(3, 6, 8),
  });

  it('loads a file through the host', async () => {
    const text = 'id,age,plan\na,30,pro\nb,41,free\n';
    const host = new MemoryHost({ '/ws/specs/data/u.csv': text });
    const loaded = await loadDataset(request(host, 'data/u.csv'));
    expect(loaded.findings).toEqual([]);
    expect(loaded.path).toBe('/ws/specs/data/u.csv');
    expect(loaded.format).toBe('csv');
    expect(loaded.bytes).toBe(text.length);
    expect(loaded.table?.rowCount).toBe(2);
    expect(loaded.fieldTypes.get('age')).toEqual({ type: 'integer', optional: false, inferred: false });
    expect(loaded.fieldTypes.get('plan')).toMatchObject({ type: 'string', inferred: true });
  });

  it('never reads a file outside the workspace', async () => {
    const host = new MemoryHost({ '/etc/users.csv': 'id,age\na,1\n' });
    const loaded = await loadDataset(request(host, '../../etc/users.csv'));
    expect(loaded.table).toBeUndefined();
    expect(loaded.findings.map((f) => [f.code, f.range, f.file])).toEqual([['SEG100', sourceRange, '/ws/specs/users.segspec']]);
    expect(host.reads).toEqual([]);
    // the declared types are still known, for the static checks
    expect(loaded.fieldTypes.get('age')?.type).toBe('integer');
  });

  it('says clearly when the file is missing, a folder, or of an unknown kind', async () => {
    const host = new MemoryHost({ '/ws/specs/folder.csv/x.csv': 'a\n1\n', '/ws/specs/u.xlsx': 'x' });
    const missing = await loadDataset(request(host, 'data/users.csv'));
    expect(missing.findings.map((f) => f.code)).toEqual(['SEG101']);
    expect(missing.findings[0].message).toContain('data/users.csv');
    expect(missing.findings[0].message).toContain('/ws/specs/data/users.csv');
    const folder = await loadDataset(request(host, 'folder.csv'));
    expect(folder.findings.map((f) => f.code)).toEqual(['SEG101']);
    expect(folder.findings[0].message).toContain('folder');
    const excel = await loadDataset(request(host, 'u.xlsx'));
    expect(excel.findings.map((f) => f.code)).toEqual(['SEG102']);
    expect(host.reads).toEqual([]);
  });

  it('reports a file that cannot be read', async () => {
    const host = new MemoryHost({ '/ws/specs/u.csv': 'id\n' });
    host.readBytes = async () => {
      throw new Error('EACCES: permission denied');
    };
    const loaded = await loadDataset(request(host, 'u.csv'));
    expect(loaded.findings.map((f) => f.code)).toEqual(['SEG103']);
    expect(loaded.findings[0].message).toContain('permission denied');
  });
});

describe('extensionOf', () => {
  it('gives the last segment extension as node:path does, on both separators', async () => {
    const { extensionOf } = await import('../../../server/src/core/data/path.js');
    const { extname } = await import('node:path');
    for (const p of ['/w/data/users.CSV', 'C:\\w\\data\\plays.jsonl', '/w/.hidden', '/w/no_ext', '/w.d/file', 'a/b.tar.gz', '/w/trailing.']) {
      expect(extensionOf(p)).toBe(extname(p.replace(/\\/g, '/')));
    }
  });
});
