/**
 * The `flag` declarations of a workspace checked against the flag system's
 * own file and the sample data (SPEC §12): static checks on the declaration
 * and the file (SEG060–SEG072), then each flag evaluated on every row of its
 * segment's dataset with the system's semantics, giving reach, leak and the
 * `expect reach` / `expect leak` results (SEG301–SEG305).
 *
 * Files are read through the host and parsed once per content; decisions are
 * cached per (system, file text, flag key, context mapping, table), so an edit
 * elsewhere in the spec re-measures reach and leak without evaluating again.
 */
import type { Finding, RelatedLocation, Severity } from '../diagnostics/types.js';
import { escapesThroughLinks, readText, type Host } from '../host.js';
import type { LoadedDataset } from '../data/load.js';
import { resolveDataPath } from '../data/path.js';
import { dataCode } from '../data/codes.js';
import type { Table } from '../data/table.js';
import type { DataAnalysis } from '../engine/index.js';
import { emptyBits, orBits, popcount, type Bitset } from '../engine/bitset.js';
import { boundHolds, boundText, formatCount, formatPercent } from '../engine/format.js';
import type { WorkspaceModel, FlagSymbol } from '../semantics/model.js';
import { prop, props, type FlagExpectation, type Range } from '../syntax/ast.js';
import { LineIndex } from '../syntax/positions.js';
import { didYouMean, suggest } from '../util/suggest.js';
import { flagFinding } from './codes.js';
import { runAtOnce, type StepRunner } from '../util/slices.js';
import { recordContext, type ContextMapping } from './context.js';
import { decideRowsInSteps, measure, type FlagDecisions, type FlagMeasures } from './decisions.js';
import { flagSystemNames, isFlagSystemName, type FlagFileLocation, type FlagSystem, type FlagSystemName, type LoadedFlagFile } from './system.js';

export interface FlagExpectationResult {
  type: FlagExpectation['type'];
  range: Range;
  /** undefined when it could not be measured. */
  passed: boolean | undefined;
  message: string;
}

export interface FlagResult {
  name: string;
  /** The .segspec file of the declaration. */
  file: string;
  system: FlagSystemName | undefined;
  /** "GrowthBook", as users write it. */
  systemTitle: string | undefined;
  key: string | undefined;
  forSegments: string[];
  dataset: string | undefined;
  /** Rows of the dataset; 0 when there is no data. */
  rows: number;
  /** Rows that get the flag; undefined when the flag could not be evaluated. */
  on: number | undefined;
  /** Which rows get the flag (for per-segment counts). */
  onBits: Bitset | undefined;
  /** Reach and leak; undefined when unavailable (see `unavailable`). */
  measures: FlagMeasures | undefined;
  /** Why reach and leak are not shown. */
  unavailable: string | undefined;
  expectations: FlagExpectationResult[];
  /** Whether each persona of the flag's dataset gets it (its profile as the context); undefined when it cannot be decided. */
  personas: Array<{ name: string; on: boolean | undefined; rule?: string }>;
}

export interface FlagAnalysis {
  flags: Map<string, FlagResult>;
  findings: Finding[];
}

interface ReadFile {
  path: string;
  text: string;
  lines: LineIndex;
  loaded: LoadedFlagFile;
}

type FileOutcome = { ok: true; file: ReadFile } | { ok: false; code: string; message: string };

const DECISION_CACHE_LIMIT = 64;

export class FlagAnalyzer {
  /** Flag files by path: the text last read and what the system made of it. */
  private readonly files = new Map<string, { signature: string; system: FlagSystemName; file: ReadFile }>();
  private readonly decisions = new WeakMap<Table, Map<string, FlagDecisions>>();
  /** Flags evaluated (cache misses) over the analyzer's lifetime. */
  evaluations = 0;

  /** Without `systemOf`, declarations are checked but no file is read. */
  constructor(private readonly systemOf: ((name: FlagSystemName) => FlagSystem) | undefined) {}

  /** `run` runs the row-by-row decisions: in slices in the language server, at once elsewhere. */
  async analyze(
    host: Host,
    root: string,
    model: WorkspaceModel,
    data: ReadonlyMap<string, LoadedDataset>,
    results: DataAnalysis,
    run: StepRunner = runAtOnce,
  ): Promise<FlagAnalysis> {
    const flags = new Map<string, FlagResult>();
    const findings: Finding[] = [];
    for (const symbol of model.flags.values()) {
      flags.set(symbol.name, await this.analyzeFlag(host, root, model, data, results, symbol, findings, run));
    }
    return { flags, findings };
  }

  private async analyzeFlag(
    host: Host,
    root: string,
    model: WorkspaceModel,
    data: ReadonlyMap<string, LoadedDataset>,
    results: DataAnalysis,
    symbol: FlagSymbol,
    findings: Finding[],
    run: StepRunner,
  ): Promise<FlagResult> {
    const { decl, file: specFile, name } = symbol;
    const push = (code: string, range: Range, message: string, extra?: Parameters<typeof flagFinding>[4]) =>
      findings.push(flagFinding(code, specFile, range, message, extra));
    const systemId = prop(decl, 'system')?.value;
    const source = prop(decl, 'source')?.value;
    const keyLiteral = prop(decl, 'key')?.value;
    const forSegments = props(decl, 'for').flatMap((p) => p.value);
    const result: FlagResult = {
      name,
      file: specFile,
      system: undefined,
      systemTitle: undefined,
      key: keyLiteral?.value,
      forSegments: forSegments.map((s) => s.name),
      dataset: undefined,
      rows: 0,
      on: undefined,
      onBits: undefined,
      measures: undefined,
      unavailable: undefined,
      expectations: [],
      personas: [],
    };
    const unavailable = (reason: string): FlagResult => {
      result.unavailable = reason;
      result.expectations = props(decl, 'expect').flatMap((p) => (p.value ? [unmeasured(p.value, reason)] : []));
      for (const e of result.expectations) push('SEG304', e.range, e.message);
      return result;
    };

    // ---- the declaration
    const missing = [
      !systemId && '`system growthbook|unleash|flagd|launchdarkly|posthog`',
      !source && '`source "path/to/flags.json"`',
      !keyLiteral && '`key "flag-key"`',
      forSegments.length === 0 && '`for SEGMENT`',
    ].filter((m): m is string => typeof m === 'string');
    if (missing.length > 0) push('SEG060', symbol.nameRange, `flag \`${name}\` needs ${missing.join(', ')}`);
    let system: FlagSystem | undefined;
    if (systemId) {
      if (isFlagSystemName(systemId.name)) {
        system = this.systemOf?.(systemId.name);
        result.system = systemId.name;
        result.systemTitle = system?.title;
      } else {
        const suggestions = suggest(systemId.name, flagSystemNames);
        push('SEG061', systemId.range, `unknown flag system \`${systemId.name}\`${didYouMean(suggestions)}; the systems are ${flagSystemNames.join(', ')}`, {
          data: { suggestions },
        });
      }
    }

    const datasets = new Set(forSegments.flatMap((s) => (model.segments.get(s.name)?.dataset ? [model.segments.get(s.name)!.dataset!] : [])));
    if (datasets.size > 1) {
      push('SEG070', prop(decl, 'for')!.keywordRange, `the segments of flag \`${name}\` draw from different datasets (${[...datasets].join(', ')}); a flag is checked on the rows of one`);
    }
    const dataset = datasets.size === 1 ? [...datasets][0] : undefined;
    result.dataset = dataset;
    const fieldTypes = dataset ? model.fieldTypes.get(dataset) : undefined;
    const fieldsKnown = dataset !== undefined && model.completeFields.has(dataset);

    // ---- the context mapping
    const explicit = new Map<string, string>();
    const contextProp = prop(decl, 'context');
    for (const entry of contextProp?.entries ?? []) {
      const attribute = entry.attribute.name;
      const field = entry.field ?? entry.attribute;
      if (explicit.has(attribute)) {
        push('SEG071', entry.attribute.range, `\`${attribute}\` is mapped twice in the context of flag \`${name}\`; only the first mapping is used`);
        continue;
      }
      explicit.set(attribute, field.name);
      if (fieldsKnown && !fieldTypes?.has(field.name)) {
        const suggestions = suggest(field.name, fieldTypes?.keys() ?? []);
        push('SEG065', field.range, `\`${dataset}\` has no field \`${field.name}\`${didYouMean(suggestions)}`, { data: { suggestions, name: field.name, dataset } });
      }
    }

    // ---- the flag system's file
    if (!system || !source) return unavailable(!source ? 'the flag has no `source`' : systemId && isFlagSystemName(systemId.name) ? 'flag systems are not available here' : 'the flag system is not known');
    const outcome = await this.readFlagFile(host, root, specFile, source.value, system);
    if (!outcome.ok) {
      push(outcome.code, source.range, outcome.message);
      return unavailable(outcome.message);
    }
    const flagFile = outcome.file;
    const related = (location: FlagFileLocation | undefined, message: string): RelatedLocation[] =>
      location ? [{ file: flagFile.path, range: locationRange(flagFile.lines, location), message }] : [];
    let fileBroken = false;
    for (const problem of flagFile.loaded.problems) {
      const code = problem.kind === 'invalid' ? 'SEG068' : 'SEG069';
      if (problem.kind === 'invalid') fileBroken = true;
      push(code, source.range, `${source.value}${problem.pointer ? ` at ${problem.pointer}` : ''}${problem.line !== undefined ? ` (line ${problem.line + 1})` : ''}: ${problem.message}`, {
        related: related(problem, problem.message),
      });
    }
    if (!keyLiteral) return unavailable('the flag has no `key`');
    const definition = flagFile.loaded.flags.find((f) => f.key === keyLiteral.value);
    if (!definition) {
      const keys = flagFile.loaded.flags.map((f) => f.key);
      const suggestions = suggest(keyLiteral.value, keys);
      if (!fileBroken || keys.length > 0) {
        push('SEG066', keyLiteral.range, `${system.title} file \`${source.value}\` has no flag \`${keyLiteral.value}\`${didYouMean(suggestions)}`, {
          data: { suggestions: suggestions.map((s) => JSON.stringify(s)) },
        });
      }
      return unavailable(`\`${source.value}\` has no flag \`${keyLiteral.value}\``);
    }
    for (const problem of definition.problems) {
      push(problem.kind === 'invalid' ? 'SEG068' : 'SEG069', keyLiteral.range, `flag \`${keyLiteral.value}\`${problem.pointer ? ` at ${problem.pointer}` : ''}: ${problem.message}`, {
        related: related(problem, problem.message),
      });
    }

    // ---- attributes the targeting reads
    const attributes = new Map(explicit);
    const identityField = explicit.get(system.identityAttribute) ?? (fieldTypes?.has(system.identityAttribute) ? system.identityAttribute : undefined) ?? keyOf(model, dataset);
    attributes.delete(system.identityAttribute);
    for (const attribute of definition.attributes) {
      if (attributes.has(attribute) || attribute === system.identityAttribute) continue;
      if (fieldTypes?.has(attribute) || (dataset && !fieldsKnown)) {
        attributes.set(attribute, attribute);
        continue;
      }
      if (!dataset) continue;
      const suggestions = suggest(attribute, fieldTypes?.keys() ?? []);
      const at = contextProp?.keywordRange ?? keyLiteral.range;
      const fix = suggestions.length > 0 ? `: map it, e.g. \`context { ${attribute}: ${suggestions[0]} }\`` : `: map it in \`context { ${attribute}: field }\``;
      push('SEG067', at, `${system.title} flag \`${keyLiteral.value}\` reads attribute \`${attribute}\`, which the context does not map and \`${dataset}\` has no field of that name${fix}`, {
        data: { suggestions, attribute },
        related: related(definition.location, `flag \`${keyLiteral.value}\``),
      });
    }
    if (dataset && !identityField) {
      push('SEG072', contextProp?.keywordRange ?? symbol.nameRange, `\`${dataset}\` has no \`key\` and the context does not map ${system.title}'s identity attribute \`${system.identityAttribute}\`: percentage rollouts cannot bucket its rows`);
    }

    // ---- the data
    if (!dataset) return unavailable(forSegments.length === 0 ? 'the flag names no segment in `for`' : 'the segments in `for` do not name one dataset');
    const table = data.get(dataset)?.table;
    if (!table) return unavailable(`the data of \`${dataset}\` could not be read`);
    result.rows = table.rowCount;
    const mapping: ContextMapping = { attributes, identity: { attribute: system.identityAttribute, field: identityField } };
    const decisions = await this.decide(system, flagFile, keyLiteral.value, table, mapping, run);
    result.personas = personaDecisions(model, dataset, flagFile.loaded, keyLiteral.value, mapping);
    if (decisions.undecided > 0) {
      const why = definition.problems[0]?.message ?? flagFile.loaded.problems[0]?.message ?? 'the evaluation could not decide';
      return unavailable(`${system.title} could not decide ${formatCount(decisions.undecided)} of ${formatCount(table.rowCount)} rows (${why})`);
    }
    result.on = decisions.onCount;
    result.onBits = decisions.on;
    if (decisions.nonAsciiIdentities > 0 && (system.name === 'unleash' || system.name === 'flagd')) {
      push('SEG305', keyLiteral.range, `${formatCount(decisions.nonAsciiIdentities)} ${decisions.nonAsciiIdentities === 1 ? 'row has an identity' : 'rows have identities'} with non-ASCII characters: Segspec buckets them as ${system.title}'s Node SDK does (UTF-16 code units); SDKs that hash UTF-8 bytes may bucket them differently`);
    }

    // ---- reach and leak
    let members: Bitset = emptyBits(table.rowCount);
    for (const segment of forSegments) {
      const segmentResult = results.segments.get(segment.name);
      if (!segmentResult || segmentResult.status === 'unavailable' || segmentResult.status === 'draft' || !segmentResult.members) {
        const why = !segmentResult ? 'is not evaluated' : segmentResult.status === 'draft' ? 'is a draft (no `where`)' : `is unavailable${segmentResult.reason ? ` (${segmentResult.reason})` : ''}`;
        return unavailable(`segment \`${segment.name}\` ${why}`);
      }
      members = orBits(members, segmentResult.members);
    }
    const memberCount = popcount(members);
    const measures = measure(decisions, members, memberCount, table, keyOf(model, dataset));
    result.measures = measures;
    const forText = result.forSegments.join(' or ');
    if (measures.leak > 0 && !props(decl, 'expect').some((p) => p.value?.type === 'ExpectLeak')) {
      push('SEG301', symbol.nameRange, leakText(measures, forText), { related: leakRelated(measures, related) });
    }
    for (const expectProp of props(decl, 'expect')) {
      const expectation = expectProp.value;
      if (!expectation?.bound) continue;
      const judged = judge(expectation, measures, forText);
      result.expectations.push(judged);
      if (judged.passed === false) {
        const severity: Severity = expectation.warn ? 'warning' : 'error';
        const extra = expectation.type === 'ExpectLeak' ? { severity, related: leakRelated(measures, related) } : { severity };
        push(expectation.type === 'ExpectReach' ? 'SEG302' : 'SEG303', expectation.range, judged.message, extra);
      } else if (judged.passed === undefined) {
        push('SEG304', expectation.range, judged.message);
      }
    }
    return result;
  }

  private async decide(system: FlagSystem, file: ReadFile, key: string, table: Table, mapping: ContextMapping, run: StepRunner): Promise<FlagDecisions> {
    let cache = this.decisions.get(table);
    if (!cache) this.decisions.set(table, (cache = new Map()));
    const cacheKey = JSON.stringify([system.name, file.path, key, [...mapping.attributes], mapping.identity]) + file.text;
    const cached = cache.get(cacheKey);
    if (cached) return cached;
    this.evaluations++;
    const decisions = await run(decideRowsInSteps(file.loaded, key, table, mapping));
    if (cache.size >= DECISION_CACHE_LIMIT) cache.delete(cache.keys().next().value!);
    cache.set(cacheKey, decisions);
    return decisions;
  }

  private async readFlagFile(host: Host, root: string, specFile: string, source: string, system: FlagSystem): Promise<FileOutcome> {
    const resolved = resolveDataPath(specFile, source, root);
    if (!resolved.ok) {
      const outside = resolved.code === dataCode.pathOutsideWorkspace;
      const message = outside ? `\`${source}\` is outside the workspace folder; flag files must be inside it` : resolved.message;
      return { ok: false, code: outside ? 'SEG064' : 'SEG062', message };
    }
    const path = resolved.path;
    const stat = await host.stat(path);
    if (!stat) return { ok: false, code: 'SEG062', message: `flag file \`${source}\` not found (looked for ${path})` };
    if (!stat.isFile || stat.isSpecial) return { ok: false, code: 'SEG062', message: `\`${source}\` is not a regular file` };
    if (await escapesThroughLinks(host, path, root)) {
      return { ok: false, code: 'SEG064', message: `\`${source}\` is a symbolic link to a file outside the workspace folder; flag files must be inside it` };
    }
    const signature = `${stat.size}\u0000${stat.mtimeMs}`;
    const cached = this.files.get(path);
    if (cached && cached.signature === signature && cached.system === system.name) return { ok: true, file: cached.file };
    let text: string;
    try {
      text = await readText(host, path);
    } catch (error) {
      return { ok: false, code: 'SEG062', message: `cannot read \`${source}\`: ${error instanceof Error ? error.message : String(error)}` };
    }
    const file: ReadFile = cached && cached.file.text === text && cached.system === system.name ? cached.file : { path, text, lines: new LineIndex(text), loaded: system.read(text) };
    this.files.set(path, { signature, system: system.name, file });
    return { ok: true, file };
  }
}

function personaDecisions(model: WorkspaceModel, dataset: string, file: LoadedFlagFile, key: string, mapping: ContextMapping): FlagResult['personas'] {
  const decisions: FlagResult['personas'] = [];
  for (const persona of model.personas.values()) {
    const profile = prop(persona.decl, 'profile')?.value;
    if (!profile || !persona.segment || model.segments.get(persona.segment)?.dataset !== dataset) continue;
    const decision = file.evaluate(key, recordContext(profile, mapping, persona.name));
    decisions.push(decision ? { name: persona.name, on: decision.on, rule: decision.rule } : { name: persona.name, on: undefined });
  }
  return decisions;
}

function keyOf(model: WorkspaceModel, dataset: string | undefined): string | undefined {
  const decl = dataset ? model.datasets.get(dataset)?.decl : undefined;
  return decl ? prop(decl, 'key')?.value?.name : undefined;
}

function locationRange(lines: LineIndex, location: FlagFileLocation): Range {
  const line = Math.max(0, location.line ?? 0);
  const offset = lines.offset(line, Math.max(0, location.character ?? 0));
  return lines.range(offset, offset);
}

function leakText(m: FlagMeasures, forText: string): string {
  const parts = m.leakByRule.map((r) => `${formatCount(r.count)} by ${r.rule} (e.g. ${r.exampleKeys.join(', ')})`);
  return `${formatCount(m.leak)} ${m.leak === 1 ? 'row' : 'rows'} outside ${forText} get the flag: ${parts.join('; ')}`;
}

function leakRelated(m: FlagMeasures, related: (location: FlagFileLocation | undefined, message: string) => RelatedLocation[]): RelatedLocation[] {
  return m.leakByRule.flatMap((r) => related(r.location, `${r.rule} lets in ${formatCount(r.count)} outside the segment`));
}

function unmeasured(expectation: FlagExpectation, reason: string): FlagExpectationResult {
  const what = expectation.type === 'ExpectReach' ? 'reach' : 'leak';
  return { type: expectation.type, range: expectation.range, passed: undefined, message: `the flag's ${what} is unavailable: ${reason}` };
}

function judge(expectation: FlagExpectation, m: FlagMeasures, forText: string): FlagExpectationResult {
  const bound = expectation.bound!;
  const base = { type: expectation.type, range: expectation.range };
  if (expectation.type === 'ExpectReach') {
    if (m.reach === undefined) return { ...base, passed: undefined, message: `reach cannot be measured: ${forText} has no members` };
    const passed = boundHolds(bound, (q) => (q.type === 'Percent' ? 100 * m.reach! : m.reached));
    const measured = `reach is ${formatPercent(m.reach)} (${formatCount(m.reached)} of ${formatCount(m.members)} members of ${forText})`;
    return { ...base, passed, message: passed ? measured : `${measured}, expected ${boundText(bound)}` };
  }
  const share = m.leakShare ?? 0;
  const passed = boundHolds(bound, (q) => (q.type === 'Percent' ? 100 * share : m.leak));
  const rules = m.leakByRule.map((r) => `${formatCount(r.count)} by ${r.rule} (e.g. ${r.exampleKeys.join(', ')})`).join('; ');
  const measured = `leak is ${formatCount(m.leak)} (${formatPercent(share)} of ${formatCount(m.outside)} rows outside ${forText})`;
  return { ...base, passed, message: passed ? measured : `${measured}, expected ${boundText(bound)}${rules ? `: ${rules}` : ''}` };
}
