import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ensureBuilt, fixtures, repoRoot, segspec } from './helpers.js';

const clean = 'test/cli/fixtures/clean';
const failing = 'test/cli/fixtures/failing';

const position = z.object({ line: z.number().int().min(0), character: z.number().int().min(0) });
const jsonReport = z
  .object({
    findings: z.array(
      z.object({
        code: z.string().regex(/^[A-Z]+\d+$/),
        severity: z.enum(['error', 'warning', 'info']),
        message: z.string().min(1),
        file: z.string().min(1),
        range: z.object({ start: position, end: position }),
      }),
    ),
    summary: z.object({ errors: z.number().int(), warnings: z.number().int(), infos: z.number().int() }),
  })
  .strict();

function sarifValidator() {
  const shared = resolve(repoRoot, '../shared/schemas/sarif-schema-2.1.0.json');
  const path = existsSync(shared) ? shared : join(fixtures, 'sarif-schema-2.1.0.json');
  const schema = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  // The schema is draft-04 (`id`); Ajv 8 reads it as draft-07 once `id` becomes `$id`.
  delete schema.$schema;
  schema.$id = schema.id;
  delete schema.id;
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  return ajv.compile(schema);
}

/** Parses `::error file=…,line=…::message` back into its parts, undoing GitHub's escaping. */
function parseGithubLine(line: string) {
  const m = /^::(error|warning|notice) ([^:]*)::(.*)$/.exec(line);
  if (!m) return undefined;
  const unescape = (s: string) => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');
  const props = Object.fromEntries(
    m[2].split(',').map((kv) => {
      const i = kv.indexOf('=');
      return [kv.slice(0, i), unescape(kv.slice(i + 1))];
    }),
  );
  return { level: m[1], props, message: unescape(m[3]) };
}

beforeAll(() => ensureBuilt());

describe('segspec check', { timeout: 120_000 }, () => {
  it('passes a clean workspace with exit 0 and a summary line', async () => {
    const r = await segspec(['check', clean]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/no problems \(3 files in 1 workspace\)/);
    expect(r.stdout).not.toMatch(/\u001b\[/);
  });

  it('reports errors in a failing workspace with a code frame and exit 1', async () => {
    const r = await segspec(['check', failing]);
    expect(r.code).toBe(1);
    const text = readFileSync(join(fixtures, 'failing/segments.segspec'), 'utf8').split('\n');
    const lineNo = text.findIndex((l) => l.includes('agee')) + 1;
    const col = text[lineNo - 1].indexOf('agee') + 1;
    // Header, source line, caret line under `agee`.
    const header = new RegExp(`^${failing}/segments\\.segspec:${lineNo}:${col} error (SEG\\d+) .*agee`, 'm');
    expect(r.stdout).toMatch(header);
    const lines = r.stdout.split('\n');
    const at = lines.findIndex((l) => header.test(l));
    expect(lines[at + 1]).toContain(text[lineNo - 1]);
    const caretLine = lines[at + 2];
    const sourceStart = lines[at + 1].indexOf(text[lineNo - 1]);
    expect(caretLine.indexOf('^')).toBe(sourceStart + col - 1);
    expect(caretLine.trim()).toMatch(/^\|\s*\^{4}$/);
    expect(r.stdout).toMatch(/✖ \d+ errors?, \d+ warnings?, \d+ infos? \(2 files in 1 workspace\)/);
  });

  it('prints only errors with --quiet, and nothing when there are none', async () => {
    const quiet = await segspec(['check', failing, '--quiet']);
    expect(quiet.code).toBe(1);
    expect(quiet.stdout).toMatch(/ error SEG/);
    expect(quiet.stdout).not.toMatch(/ warning SEG/);
    const silent = await segspec(['check', clean, '-q']);
    expect(silent.code).toBe(0);
    expect(silent.stdout).toBe('');
  });

  it('colours only when asked and never with NO_COLOR or --no-color', async () => {
    const forced = await segspec(['check', failing], { env: { FORCE_COLOR: '1' } });
    expect(forced.stdout).toMatch(/\u001b\[31merror/);
    const noColor = await segspec(['check', failing], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } });
    expect(noColor.stdout).not.toMatch(/\u001b\[/);
    const flag = await segspec(['check', failing, '--no-color'], { env: { FORCE_COLOR: '1' } });
    expect(flag.stdout).not.toMatch(/\u001b\[/);
  });

  it('prints JSON that matches the documented shape, with zero-based ranges', async () => {
    const ok = jsonReport.parse(JSON.parse((await segspec(['check', clean, '--format', 'json'])).stdout));
    expect(ok.findings).toEqual([]);
    expect(ok.summary).toEqual({ errors: 0, warnings: 0, infos: 0 });

    const r = await segspec(['check', failing, '--format', 'json']);
    expect(r.code).toBe(1);
    const doc = jsonReport.parse(JSON.parse(r.stdout));
    expect(doc.summary.errors).toBe(doc.findings.filter((f) => f.severity === 'error').length);
    expect(doc.summary.warnings).toBe(doc.findings.filter((f) => f.severity === 'warning').length);
    const typo = doc.findings.find((f) => f.message.includes('agee'));
    expect(typo).toBeDefined();
    const text = readFileSync(join(fixtures, 'failing/segments.segspec'), 'utf8').split('\n');
    expect(text[typo!.range.start.line].slice(typo!.range.start.character, typo!.range.end.character)).toBe('agee');
    expect(typo!.file).toBe(`${failing}/segments.segspec`);
  });

  it('prints SARIF 2.1.0 that validates against the schema, one rule per code', async () => {
    const validate = sarifValidator();
    for (const dir of [clean, failing]) {
      const r = await segspec(['check', dir, '--format', 'sarif']);
      const doc = JSON.parse(r.stdout);
      const valid = validate(doc);
      expect(validate.errors ?? []).toEqual([]);
      expect(valid).toBe(true);
      const run = doc.runs[0];
      const ruleIds: string[] = run.tool.driver.rules.map((rule: { id: string }) => rule.id);
      expect(new Set(ruleIds).size).toBe(ruleIds.length);
      for (const result of run.results) {
        expect(ruleIds[result.ruleIndex]).toBe(result.ruleId);
        const rule = run.tool.driver.rules[result.ruleIndex];
        expect(rule.fullDescription.text.length).toBeGreaterThan(20);
      }
      if (dir === failing) {
        expect(r.code).toBe(1);
        const typo = run.results.find((x: { message: { text: string } }) => x.message.text.includes('agee'));
        const region = typo.locations[0].physicalLocation.region;
        const text = readFileSync(join(fixtures, 'failing/segments.segspec'), 'utf8').split('\n');
        expect(text[region.startLine - 1].slice(region.startColumn - 1, region.endColumn - 1)).toBe('agee');
        expect(typo.locations[0].physicalLocation.artifactLocation.uri).toBe(`${failing}/segments.segspec`);
      } else {
        expect(run.results).toEqual([]);
      }
    }
  });

  it('prints GitHub annotations that parse back, and appends a step summary', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'segspec-gh-'));
    const summary = join(dir, 'summary.md');
    writeFileSync(summary, '# before\n');
    try {
      const r = await segspec(['check', failing, '--format', 'github'], { env: { GITHUB_STEP_SUMMARY: summary } });
      expect(r.code).toBe(1);
      const json = jsonReport.parse(JSON.parse((await segspec(['check', failing, '--format', 'json'])).stdout));
      const lines = r.stdout.trimEnd().split('\n');
      expect(lines).toHaveLength(json.findings.length);
      const parsed = lines.map(parseGithubLine);
      parsed.forEach((p, i) => {
        const f = json.findings[i];
        expect(p).toBeDefined();
        expect(p!.level).toBe(f.severity === 'info' ? 'notice' : f.severity);
        expect(p!.props.file).toBe(f.file);
        expect(Number(p!.props.line)).toBe(f.range.start.line + 1);
        expect(Number(p!.props.col)).toBe(f.range.start.character + 1);
        expect(Number(p!.props.endLine)).toBe(f.range.end.line + 1);
        expect(p!.props.title).toBe(f.code);
        expect(p!.message).toBe(f.message);
      });
      const md = readFileSync(summary, 'utf8');
      expect(md.startsWith('# before\n')).toBe(true);
      expect(md).toContain('## Segspec check');
      expect(md).toContain(`${json.summary.errors} error`);
      for (const f of json.findings) expect(md).toContain(`\`${f.code}\``);

      const ok = await segspec(['check', clean, '--format', 'github']);
      expect(ok.code).toBe(0);
      expect(ok.stdout).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails on warnings only with --fail-on warning', async () => {
    const json = jsonReport.parse(JSON.parse((await segspec(['check', failing, '--format', 'json'])).stdout));
    const onlyWarnings = json.findings.filter((f) => f.severity === 'warning');
    expect(onlyWarnings.length).toBeGreaterThan(0);
    // A workspace whose only findings are warnings: the `seniors` segment is empty.
    const dir = mkdtempSync(join(tmpdir(), 'segspec-warn-'));
    try {
      writeFileSync(join(dir, 'data.segspec'), readFileSync(join(fixtures, 'clean/data.segspec'), 'utf8'));
      writeFileSync(join(dir, 'seg.segspec'), 'segment seniors { kind demographic where age >= 90 }\n');
      mkdirSync(join(dir, 'data'));
      copyFileSync(join(fixtures, 'clean/data/users.csv'), join(dir, 'data/users.csv'));
      const soft = await segspec(['check', dir]);
      expect(soft.code).toBe(0);
      expect(soft.stdout).toMatch(/warning/);
      const strict = await segspec(['check', dir, '--fail-on', 'warning']);
      expect(strict.code).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exits 2 with a one-line reason for usage errors and unreadable paths', async () => {
    const missing = await segspec(['check', 'no/such/folder']);
    expect(missing.code).toBe(2);
    expect(missing.stdout).toBe('');
    expect(missing.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(missing.stderr).toContain('no/such/folder');

    const badFormat = await segspec(['check', clean, '--format', 'xml']);
    expect(badFormat.code).toBe(2);
    expect(badFormat.stderr).toMatch(/--format must be one of pretty, json, sarif, github/);

    const unknownOption = await segspec(['check', '--frobnicate']);
    expect(unknownOption.code).toBe(2);
    expect(unknownOption.stderr).toMatch(/frobnicate/);

    const unknownCommand = await segspec(['chek']);
    expect(unknownCommand.code).toBe(2);
    expect(unknownCommand.stderr).toMatch(/did you mean 'check'/);

    const empty = mkdtempSync(join(tmpdir(), 'segspec-empty-'));
    try {
      const none = await segspec(['check', empty]);
      expect(none.code).toBe(2);
      expect(none.stderr).toMatch(/no \.segspec files/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('checks the current folder when no path is given, with paths relative to it', async () => {
    const here = await segspec(['check', '--format', 'json'], { cwd: join(fixtures, 'failing') });
    expect(here.code).toBe(1);
    const doc = jsonReport.parse(JSON.parse(here.stdout));
    expect(doc.findings.map((f) => f.file)).toContain('segments.segspec');
    expect((await segspec(['check'], { cwd: join(fixtures, 'clean') })).code).toBe(0);
  });

  it('checks every workspace under a folder and only the named file when given one', async () => {
    const both = await segspec(['check', 'test/cli/fixtures', '--format', 'json']);
    const doc = jsonReport.parse(JSON.parse(both.stdout));
    expect(doc.findings.some((f) => f.file.startsWith(failing))).toBe(true);
    expect(both.code).toBe(1);

    const one = await segspec(['check', `${failing}/data.segspec`, '--format', 'json']);
    const single = jsonReport.parse(JSON.parse(one.stdout));
    expect(single.findings.every((f) => f.file === `${failing}/data.segspec`)).toBe(true);
  });

  it('finds the workspace of a file named directly, even in a subfolder of it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'segspec-nested-'));
    try {
      mkdirSync(join(dir, 'ws/specs/more'), { recursive: true });
      mkdirSync(join(dir, 'ws/data'));
      copyFileSync(join(fixtures, 'clean/data/users.csv'), join(dir, 'ws/data/users.csv'));
      copyFileSync(join(fixtures, 'clean/data.segspec'), join(dir, 'ws/data.segspec'));
      writeFileSync(join(dir, 'ws/specs/more/seg.segspec'), 'segment free { kind value where plan == "free" }\n');
      const r = await segspec(['check', 'ws/specs/more/seg.segspec', '--format', 'json'], { cwd: dir });
      // The dataset in ws/data.segspec is found, so `plan` is a known field.
      expect(jsonReport.parse(JSON.parse(r.stdout)).findings).toEqual([]);
      expect(r.code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('prints help with examples for every command, and the version', async () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    expect((await segspec(['--version'])).stdout.trim()).toBe(pkg.version);
    const commands = ['check', 'stats', 'report', 'explain', 'init', 'sql', 'fmt', 'lsp'];
    const results = await Promise.all(commands.map((command) => segspec([command, '--help'])));
    for (const [i, command] of commands.entries()) {
      const r = results[i];
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`Usage: segspec ${command}`);
      expect(r.stdout).toMatch(/Examples?:/);
    }
    const general = await segspec(['--help']);
    expect(general.stdout).toMatch(/Commands:/);
  });
});
