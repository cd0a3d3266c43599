/**
 * Inputs that must not stall, escape or inject, run through the built bin:
 * `stats` shows workspace paths as the user typed them, `init --from`
 * refuses files that are not text.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, segspec } from './helpers.js';

let work: string;
beforeAll(() => {
  ensureBuilt();
  work = mkdtempSync(join(tmpdir(), 'segspec-inputs-'));
});
afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

function workspace(name: string, files: Record<string, string | Uint8Array>): string {
  const dir = join(work, name);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

const CSV = 'id,age\n1,20\n2,30\n3,40\n4,50\n';
const SPEC = `dataset people { source "people.csv" key id }
segment young { where age < 25 expect size >= 50% }
segment older { where age >= 25 }
`;

describe('segspec stats paths', { timeout: 120_000 }, () => {
  it('names the workspace relative to the working directory, `.` for itself, with no trailing spaces', async () => {
    const dir = workspace('stats-paths', { 'people.csv': CSV, 'spec.segspec': SPEC });
    const here = await segspec(['stats', '--no-color'], { cwd: dir });
    expect(here.code).toBe(0);
    const lines = here.stdout.split('\n');
    expect(lines[0]).toBe('.');
    expect(here.stdout).not.toContain(dir);
    // `young` fails its expectation, so the status column is as wide as "failing".
    expect(lines.find((l) => l.startsWith('young'))).toMatch(/failing/);
    for (const line of lines) expect(line, JSON.stringify(line)).toBe(line.trimEnd());

    const fromParent = await segspec(['stats', '--no-color', 'stats-paths'], { cwd: work });
    expect(fromParent.stdout.split('\n')[0]).toBe('stats-paths');
    const json = JSON.parse((await segspec(['stats', '--format', 'json'], { cwd: dir })).stdout) as { segments: Array<{ workspace: string }> };
    expect(json.segments.map((s) => s.workspace)).toEqual(['.', '.']);
  });
});

describe('segspec init --from a file that is not text', { timeout: 120_000 }, () => {
  const cases: Array<[string, Uint8Array, RegExp]> = [
    ['nul.csv', new Uint8Array([0x69, 0x64, 0x0a, 0x00, 0x01, 0x02, 0x1b, 0x5b, 0x0a, 0x31, 0x0a]), /NUL bytes/],
    ['latin1.csv', new Uint8Array([0x6e, 0x61, 0x6d, 0x65, 0x0a, 0x63, 0x61, 0x66, 0xe9, 0x0a]), /not valid UTF-8/],
    ['controls.csv', new TextEncoder().encode('name\n\x1b[31m\x07\x1b]0;pwned\x07\n\x1b[2J\x08\x08\n'), /control characters/],
    ['utf16.csv', new Uint8Array([0xff, 0xfe, 0x69, 0x00, 0x64, 0x00, 0x0a, 0x00]), /UTF-16/],
  ];
  for (const [file, bytes, reason] of cases) {
    it(`refuses ${file} with a message and writes nothing`, async () => {
      const dir = join(work, `init-${file}`);
      mkdirSync(dir);
      writeFileSync(join(dir, file), bytes);
      const r = await segspec(['init', '--from', file], { cwd: dir });
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(new RegExp(`${file}.*${reason.source}`));
      expect(readdirSync(dir)).toEqual([file]);
    });
  }

  it('still accepts a UTF-8 table with a BOM, tabs and accents', async () => {
    const dir = join(work, 'init-ok');
    mkdirSync(dir);
    writeFileSync(join(dir, 'people.csv'), '\ufeffname,note\nJosé,"a\tb"\nZoë,ok\n');
    const r = await segspec(['init', '--from', 'people.csv'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(existsSync(join(dir, 'data.segspec'))).toBe(true);
    expect(r.stdout).toMatch(/Next: segspec check \.\n/);
  });
});

/** Deterministic bytes of every value, like a binary file saved as a spec. */
function randomBytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('segspec check on a spec of random bytes', { timeout: 120_000 }, () => {
  it('prints no raw control characters and at most 100 findings of the file, then how many more', async () => {
    const dir = workspace('random-bytes', { 'noise.segspec': randomBytes(20_000, 7) });
    for (const format of ['pretty', 'github'] as const) {
      const r = await segspec(['check', '.', '--no-color', '--format', format], { cwd: dir, env: { GITHUB_STEP_SUMMARY: join(dir, '..', 'random-summary.md') } });
      expect(r.code, r.stderr).toBe(1);
      expect(r.stdout).not.toMatch(RAW_CONTROL);
      if (format === 'pretty') {
        expect(r.stdout.match(/^noise\.segspec:\d+:\d+ error/gm)?.length).toBe(100);
        const total = Number(/✖ (\d+) errors?/.exec(r.stdout)?.[1]);
        expect(total).toBeGreaterThan(100);
        expect(r.stdout).toContain(`…and ${total - 100} more in noise.segspec`);
      } else {
        expect(r.stdout.match(/^::error file=noise\.segspec/gm)?.length).toBe(100);
        expect(r.stdout).toMatch(/^::notice file=noise\.segspec,title=segspec%3A more findings::…and \d+ more/m);
      }
    }
    const json = await segspec(['check', '.', '--format', 'json'], { cwd: dir });
    const doc = JSON.parse(json.stdout) as { findings: unknown[] };
    expect(doc.findings.length).toBeGreaterThan(100);
  });
});

describe('file names and sources with control characters', { timeout: 120_000 }, () => {
  it('are shown escaped by stats, fmt and check', async () => {
    const dir = workspace('named', {
      'pe\u001b[2Jople.csv': CSV,
      'spec\u001b]0;x\u0007.segspec': 'dataset people { source "pe\\u001b[2Jople.csv" key id }\nsegment  young { where age < 25 }\n',
    });
    const stats = await segspec(['stats', '--no-color'], { cwd: dir });
    expect(stats.code, stats.stderr).toBe(0);
    expect(stats.stdout).toContain('dataset people (pe\\x1b[2Jople.csv): 4 rows');
    const fmt = await segspec(['fmt', '--check', '.'], { cwd: dir });
    expect(fmt.stdout + fmt.stderr).toContain('spec\\x1b]0;x\\x07.segspec');
    const missing = await segspec(['check', '--no-color', 'no\u001b[31mpe'], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no\\x1b[31mpe');
    for (const r of [stats, fmt, missing]) expect(r.stdout + r.stderr).not.toMatch(RAW_CONTROL);
  });
});

describe('workspace discovery and symbolic links', { timeout: 120_000 }, () => {
  it('a spec linked from outside the folder is not part of it; a data link to outside is refused', async () => {
    const elsewhere = workspace('elsewhere', { 'shared.segspec': 'segment outside_rule { where age > 0 }\n', 'secret.csv': CSV });
    const onlyLink = join(work, 'only-link');
    mkdirSync(onlyLink);
    symlinkSync(join(elsewhere, 'shared.segspec'), join(onlyLink, 'shared.segspec'));
    const none = await segspec(['check', 'only-link'], { cwd: work });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no \.segspec files found under only-link/);

    const dir = workspace('data-link', { 'spec.segspec': 'dataset people { source "people.csv" key id }\nsegment young { where age < 25 }\n' });
    symlinkSync(join(elsewhere, 'secret.csv'), join(dir, 'people.csv'));
    const r = await segspec(['check', '--no-color', '.'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/spec\.segspec:1:\d+ error SEG100 `people\.csv` is a symbolic link to a file outside the workspace folder/);
    const stats = JSON.parse((await segspec(['stats', '--format', 'json', '--engine', 'duckdb'], { cwd: dir })).stdout) as { datasets: Array<{ rows: number | null }> };
    expect(stats.datasets[0].rows).toBeNull();
  });
});

describe('explain with control characters in the data', { timeout: 120_000 }, () => {
  it('shows the values escaped', async () => {
    const dir = workspace('explain-controls', {
      'people.csv': 'id,name\nk1,"evil\u001b[2J\u0007name"\nk2,bob\n',
      'spec.segspec': 'dataset people { source "people.csv" key id }\nsegment bobs { where name == "bob" }\n',
    });
    const r = await segspec(['explain', 'bobs', '--key', 'k1', '--no-color', '.'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('name = "evil\\u001b[2J\\u0007name"');
    expect(r.stdout).not.toMatch(RAW_CONTROL);
  });
});
