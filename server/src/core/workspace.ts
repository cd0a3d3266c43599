/**
 * The workspace facade: the one entry point the CLI, the language server and
 * the tests use. It keeps the caches that make an edit cheap — one parse per
 * file text, one data load per data file content, segment results by
 * normalized predicate (inside the engine) — and answers `analyze()` with the
 * model, every finding and the data results.
 */
import { extensionOf } from './data/path.js';
import type { Host } from './host.js';
import { readText } from './host.js';
import type { Finding } from './diagnostics/types.js';
import { IncrementalParser } from './syntax/incremental.js';
import { buildModel, checkStatic, type ParsedFile, type WorkspaceModel, type FieldTypeInfo } from './semantics/index.js';
import { loadDataset, missingTokensOf, placeDataIssues, resolveDataPath, type BlockOptions, type LoadedDataset, type ParseData } from './data/index.js';
import { runAtOnce, runInSlices, type StepRunner } from './util/slices.js';
import { parseMarkdown, type MarkdownDocument } from './markdown/index.js';
import { checkMarkdown, markdownCodes } from './semantics/markdown-checks.js';
import { prop, props, type DatasetDecl } from './syntax/ast.js';
import { Engine, engineCodes, type DataAnalysis } from './engine/index.js';
import { ruleProblems } from './engine/rule-errors.js';
import { sortFindings } from './diagnostics/sort.js';
import { FlagAnalyzer, type FlagResult } from './flags/analyze.js';
import type { FlagSystem, FlagSystemName } from './flags/system.js';

export interface WorkspaceOptions {
  /** Reference date (YYYY-MM-DD) when a dataset has no `as of`. */
  asOf?: string;
  /** How data files are decoded (default: on this thread; the language server uses a worker). */
  parseData?: ParseData;
  /** How blocks of CSV/TSV files are parsed at the same time (on worker threads: see data/blocks.ts); without it, in pieces on this thread. */
  blocks?: BlockOptions;
  /**
   * Hands the thread back for a moment (a macrotask). When given, the
   * evaluation runs in slices with a pause between them, so a host with one
   * thread answers requests meanwhile.
   */
  pause?: () => Promise<void>;
  /** Reads and evaluates each flag system's files (SPEC §12); without it, `flag` declarations are checked without their files. */
  flagSystems?: (name: FlagSystemName) => FlagSystem;
}

export interface AnalyzeHooks {
  /** Called when the analysis starts reading a data file (not a cached one): slow work begins. */
  onDataLoad?(): void;
}

/** The model of the current texts, without data work (what a request can answer from while data loads). */
export interface ModelOnly {
  model: WorkspaceModel;
}

export interface Analysis {
  model: WorkspaceModel;
  /** Static and data findings of every file, sorted by file and position. */
  findings: Finding[];
  /** Loaded data per dataset name. */
  data: Map<string, LoadedDataset>;
  /** Sizes, shares, overlaps, expectations (segments without data are `unavailable`). */
  results: DataAnalysis;
  /** Parsed Markdown documents of the workspace by path. */
  markdown: Map<string, MarkdownDocument>;
  /** Segments left unevaluated because their rule has an error, with the reason. */
  brokenRules: Map<string, string>;
  /** Each `flag` declaration: who gets it, its reach and leak (SPEC §12). */
  flags: Map<string, FlagResult>;
}

interface Overlay {
  text: string;
  version: number;
}

/** Thrown by `analyze` when the caller cancelled; the partial work is discarded. */
export class CancelledError extends Error {
  constructor() {
    super('cancelled');
  }
}

export class Workspace {
  private readonly overlays = new Map<string, Overlay>();
  private readonly parsed = new Map<string, ParsedFile>();
  private readonly dataCache = new Map<string, { name: string; signature: string; loaded: LoadedDataset }>();
  private readonly markdownCache = new Map<string, { text: string; doc: MarkdownDocument }>();
  private fileList: string[] | undefined;
  readonly engine = new Engine();
  private flagAnalyzer: { systems: WorkspaceOptions['flagSystems']; analyzer: FlagAnalyzer } | undefined;
  /** Re-parses only the declarations an edit touched. */
  /** One per file: each keeps the pieces of its own latest text. */
  private readonly parsers = new Map<string, IncrementalParser>();

  constructor(
    readonly host: Host,
    readonly root: string,
    public options: WorkspaceOptions = {},
  ) {}

  /** Text of an open editor document, used instead of the file on disk. */
  setOverlay(path: string, text: string, version: number): void {
    this.overlays.set(path, { text, version });
  }

  removeOverlay(path: string): void {
    this.overlays.delete(path);
  }

  /** Forget the list of files and cached data (after files changed on disk). */
  invalidate(paths?: string[]): void {
    this.fileList = undefined;
    if (!paths) {
      this.dataCache.clear();
      return;
    }
    for (const path of paths) this.dataCache.delete(path);
  }

  /** The parsed file for a path (from the cache; parses on a cache miss). */
  async parsedFile(path: string): Promise<ParsedFile> {
    const overlay = this.overlays.get(path);
    const text = overlay ? overlay.text : await readText(this.host, path);
    const cached = this.parsed.get(path);
    if (cached && cached.text === text) {
      cached.version = overlay?.version ?? 0;
      return cached;
    }
    const file: ParsedFile = { path, text, version: overlay?.version ?? 0, ast: this.parserFor(path).parse(text) };
    this.parsed.set(path, file);
    return file;
  }

  private parserFor(path: string): IncrementalParser {
    let parser = this.parsers.get(path);
    if (!parser) this.parsers.set(path, (parser = new IncrementalParser()));
    return parser;
  }

  /** Absolute paths of the workspace's files with the given extension (disk and open documents). */
  async filesWithExtension(extension: string): Promise<string[]> {
    this.fileList ??= await this.host.listFiles(this.root);
    const onDisk = this.fileList.filter((p) => extensionOf(p) === extension);
    const open = [...this.overlays.keys()].filter((p) => extensionOf(p) === extension && p.startsWith(this.root));
    return [...new Set([...onDisk, ...open])].sort();
  }

  private async specFiles(): Promise<ParsedFile[]> {
    const files: ParsedFile[] = [];
    for (const path of await this.filesWithExtension('.segspec')) {
      try {
        files.push(await this.parsedFile(path));
      } catch {
        this.parsed.delete(path); // deleted between listing and reading
        this.parsers.delete(path);
      }
    }
    return files;
  }

  /**
   * The model of the current texts with the field types of the data loaded
   * last: no data is read and nothing is evaluated.
   */
  async modelOnly(): Promise<ModelOnly> {
    const files = await this.specFiles();
    const dataFieldTypes = new Map<string, Map<string, FieldTypeInfo>>();
    for (const { name, loaded } of this.dataCache.values()) {
      if (loaded.table) dataFieldTypes.set(name, loaded.fieldTypes);
    }
    return { model: buildModel(this.root, files, { dataFieldTypes }).model };
  }

  async analyze(isCancelled: () => boolean = () => false, hooks: AnalyzeHooks = {}): Promise<Analysis> {
    const files = await this.specFiles();
    if (isCancelled()) throw new CancelledError();

    const data = await this.loadData(datasetDeclarations(files), hooks);
    if (isCancelled()) throw new CancelledError();

    const dataFieldTypes = new Map<string, Map<string, FieldTypeInfo>>();
    for (const [name, loaded] of data) {
      if (loaded.table) dataFieldTypes.set(name, loaded.fieldTypes);
    }
    const { model, findings: nameFindings } = buildModel(this.root, files, { dataFieldTypes });
    const valuesOf = (dataset: string, field: string) => {
      const column = data.get(dataset)?.table?.byName.get(field);
      return column && 'dictionary' in column ? column.dictionary : undefined;
    };
    const staticFindings = checkStatic(model, valuesOf);
    const { broken: brokenRules, findings: dependencyFindings } = ruleProblems(model, [...nameFindings, ...staticFindings]);
    const analyzeOptions = { asOf: this.options.asOf, brokenRules };
    const pause = this.options.pause;
    const checkpoint = () => {
      if (isCancelled()) throw new CancelledError();
    };
    const run: StepRunner = pause ? (steps) => runInSlices(steps, pause, checkpoint) : runAtOnce;
    const results = pause ? await runInSlices(this.engine.analyzeInSteps(model, data, analyzeOptions), pause, checkpoint) : this.engine.analyze(model, data, analyzeOptions);
    const dataFindings = [...data.values()].flatMap((d) => d.findings);
    const markdown = await this.parseMarkdownFiles();
    const markdownFindings = markdownChecks(model, markdown, results);
    const flags = await this.flags().analyze(this.host, this.root, model, data, results, run);
    if (isCancelled()) throw new CancelledError();
    return {
      model,
      findings: sortFindings(
        dedupe([...nameFindings, ...staticFindings, ...dependencyFindings, ...dataFindings, ...results.findings, ...markdownFindings, ...flags.findings]),
      ),
      data,
      results,
      markdown,
      brokenRules,
      flags: flags.flags,
    };
  }

  /** Flags evaluated on a dataset (cache misses) so far: an edit elsewhere adds none. */
  get flagEvaluations(): number {
    return this.flagAnalyzer?.analyzer.evaluations ?? 0;
  }

  /** The flag analyzer for the current `flagSystems` option (its caches live as long as the option does). */
  private flags(): FlagAnalyzer {
    const systems = this.options.flagSystems;
    if (!this.flagAnalyzer || this.flagAnalyzer.systems !== systems) {
      this.flagAnalyzer = { systems, analyzer: new FlagAnalyzer(systems) };
    }
    return this.flagAnalyzer.analyzer;
  }

  /**
   * Markdown documents that take part: every `.md` file of a workspace that has
   * `.segspec` files. Parsed per text, like spec files.
   */
  private async parseMarkdownFiles(): Promise<Map<string, MarkdownDocument>> {
    const documents = new Map<string, MarkdownDocument>();
    for (const path of await this.filesWithExtension('.md')) {
      const overlay = this.overlays.get(path);
      let text: string;
      try {
        text = overlay ? overlay.text : await readText(this.host, path);
      } catch {
        continue;
      }
      const cached = this.markdownCache.get(path);
      if (cached && cached.text === text) {
        documents.set(path, cached.doc);
        continue;
      }
      const doc = parseMarkdown(text);
      this.markdownCache.set(path, { text, doc });
      documents.set(path, doc);
    }
    return documents;
  }

  private async loadData(datasets: DatasetDeclaration[], hooks: AnalyzeHooks): Promise<Map<string, LoadedDataset>> {
    const data = new Map<string, LoadedDataset>();
    for (const dataset of datasets) {
      const source = prop(dataset.decl, 'source')?.value;
      if (!source) continue;
      const key = prop(dataset.decl, 'key')?.value;
      const byName = new Map(props(dataset.decl, 'fields').flatMap((p) => p.fields).reverse().map((f) => [f.name.name, f]));
      const declaredFields = [...byName.values()].reverse();
      const request = {
        host: this.host,
        parse: this.options.parseData,
        blocks: this.options.blocks,
        specFile: dataset.file,
        workspaceRoot: this.root,
        source: source.value,
        sourceRange: source.range,
        declaredFields,
        keyField: key?.name,
        keyRange: key?.range,
        missing: missingTokensOf(dataset.decl),
      };
      const schema = JSON.stringify([declaredFields.map(fieldSignature), key?.name, source.range.start.offset, dataset.file, request.missing]);
      const signature = await this.dataSignature(dataset.file, source.value, schema);
      const cacheKey = `${dataset.file}\u0000${dataset.name}`;
      const cached = this.dataCache.get(cacheKey);
      if (cached && cached.signature === signature) {
        // Same data and fields, but the declaration may have moved since: its findings go where it is now.
        data.set(dataset.name, { ...cached.loaded, findings: placeDataIssues(cached.loaded.issues, request) });
        continue;
      }
      hooks.onDataLoad?.();
      const loaded = await loadDataset(request);
      this.dataCache.set(cacheKey, { name: dataset.name, signature, loaded });
      data.set(dataset.name, loaded);
    }
    return data;
  }

  /** Identifies a data load: the file's size and modification time plus the declared schema. */
  private async dataSignature(specFile: string, source: string, schema: string): Promise<string> {
    const resolved = resolveDataPath(specFile, source, this.root);
    const stat = resolved.ok ? await this.host.stat(resolved.path) : undefined;
    return `${resolved.ok ? resolved.path : source}\u0000${stat?.size}\u0000${stat?.mtimeMs}\u0000${schema}`;
  }
}

function markdownChecks(model: WorkspaceModel, markdown: Map<string, MarkdownDocument>, results: DataAnalysis): Finding[] {
  const statusOf = (segment: string) => {
    const status = results.segments.get(segment)?.status;
    return status === 'unavailable' ? undefined : status;
  };
  return [...markdown].flatMap(([path, doc]) => checkMarkdown(path, doc, model, statusOf));
}

const DATA_RESULT_CODES = new Set([...engineCodes, ...markdownCodes].map((c) => c.code));

/**
 * The analysis with data results measured by another engine (a SQL engine):
 * the checks on the data and the Markdown checks that read segment statuses
 * follow the new results; every other finding stays.
 */
export function withDataResults(analysis: Analysis, results: DataAnalysis): Analysis {
  const kept = analysis.findings.filter((f) => !DATA_RESULT_CODES.has(f.code) && !FLAG_DATA_CODES.has(f.code));
  const markdownFindings = markdownChecks(analysis.model, analysis.markdown, results);
  const flags = new Map([...analysis.flags].map(([name, flag]) => [name, flagsNotOnEngine(flag)]));
  return { ...analysis, results, flags, findings: sortFindings(dedupe([...kept, ...results.findings, ...markdownFindings])) };
}

/** Flag findings measured on the embedded engine's rows (which a SQL engine's run only samples). */
const FLAG_DATA_CODES = new Set(['SEG301', 'SEG302', 'SEG303', 'SEG304', 'SEG305']);

/** Flags are evaluated row by row on the embedded engine; a SQL engine's run has no numbers for them. */
function flagsNotOnEngine(flag: FlagResult): FlagResult {
  const reason = 'flags are evaluated on the embedded engine only (run without --engine)';
  return {
    ...flag,
    on: undefined,
    onBits: undefined,
    measures: undefined,
    unavailable: reason,
    personas: [],
    expectations: flag.expectations.map((e) => ({ ...e, passed: undefined, message: `unavailable: ${reason}` })),
  };
}

interface DatasetDeclaration {
  name: string;
  file: string;
  decl: DatasetDecl;
}

/** The first declaration of each dataset name, in the order the model uses (by path, then position). */
function datasetDeclarations(files: ParsedFile[]): DatasetDeclaration[] {
  const seen = new Map<string, DatasetDeclaration>();
  for (const file of [...files].sort((a, b) => a.path.localeCompare(b.path))) {
    for (const decl of file.ast.declarations) {
      if (decl.type === 'Dataset' && decl.name && !seen.has(decl.name.name)) {
        seen.set(decl.name.name, { name: decl.name.name, file: file.path, decl });
      }
    }
  }
  return [...seen.values()];
}

function fieldSignature(field: { name: { name: string }; fieldType?: { name: string; optional: boolean; element?: string; enumValues?: Array<{ value: string }> } }): string {
  const t = field.fieldType;
  return `${field.name.name}:${t?.name}${t?.element ?? ''}${t?.optional ? '?' : ''}${t?.enumValues?.map((v) => v.value).join('|') ?? ''}`;
}

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.file}:${f.range.start.offset}:${f.range.end.offset}:${f.code}:${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
