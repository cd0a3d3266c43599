import { createHash } from 'node:crypto';
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { diffSnapshots, type SnapshotDiff } from '../../core/diff/compare.js';
import { snapshotOf } from '../../core/diff/from-analysis.js';
import { FULL_CONTENTS, type DiffSnapshot } from '../../core/diff/snapshot.js';
import { resolveDataPath } from '../../core/data/index.js';
import { prop } from '../../core/syntax/ast.js';
import type { Analysis } from '../../core/workspace.js';
import { analyzePaths } from '../analysis.js';
import { choice, stringOption, type ParsedCommand, type SharedOptions } from '../args.js';
import { colorsFor } from '../colors.js';
import { commitOf, defaultBase, materialize, repositoryRoot, shortCommit } from '../diff/git.js';
import { looksLikeStatsFile, readStatsBase } from '../diff/stats-base.js';
import { engineOption, type EngineChoice } from '../engines.js';
import { CliError, EXIT_FINDINGS, EXIT_OK, UsageError } from '../errors.js';
import type { CliIO } from '../io.js';
import { NodeHost } from '../../node/fs-host.js';
import { formatDiffJson, formatDiffMarkdown, formatDiffPretty, type DiffSides } from '../reporters/diff.js';

const FORMATS = ['pretty', 'markdown', 'json'] as const;
const FAIL_ON = ['change', 'failure'] as const;
type FailOn = (typeof FAIL_ON)[number];

/** `segspec diff [--base REF|stats.json] [paths…] [--format pretty|markdown|json] [--fail-on change|failure]` */
export async function runDiff(cmd: ParsedCommand, io: CliIO): Promise<number> {
  const format = choice(cmd, 'format', FORMATS, 'pretty');
  const failOn = failOnOption(cmd);
  const engine = engineOption(cmd);
  const paths = cmd.positionals.length > 0 ? cmd.positionals : ['.'];
  const baseOption = stringOption(cmd, 'base');

  let base: DiffSnapshot;
  let sides: DiffSides;
  if (baseOption !== undefined && (looksLikeStatsFile(baseOption) || isFile(resolve(io.cwd, baseOption)))) {
    base = await readStatsBase(resolve(io.cwd, baseOption), baseOption);
    sides = { base: { kind: 'stats', file: baseOption }, head: 'working tree' };
  } else {
    const fromGit = await baseFromGit(baseOption, paths, cmd.shared, io, engine);
    base = fromGit.snapshot;
    sides = { base: { kind: 'git', ref: baseOption, label: fromGit.label, commit: fromGit.commit, short: fromGit.short }, head: 'working tree' };
  }
  const head = await snapshotSide(paths, io.cwd, cmd.shared, io, engine, 'the working tree');
  if (head.workspaces.length === 0 && base.workspaces.length === 0) {
    throw new CliError(`no .segspec files under ${paths.join(', ')}, neither in the working tree nor in the base`);
  }
  const diff = diffSnapshots(base, head);
  const colors = colorsFor(io.stdout, io, cmd.shared.noColor);
  if (format === 'json') io.stdout.write(formatDiffJson(diff, sides));
  else if (format === 'markdown') io.stdout.write(formatDiffMarkdown(diff, sides));
  else io.stdout.write(formatDiffPretty(diff, sides, colors));
  return failed(diff, failOn) ? EXIT_FINDINGS : EXIT_OK;
}

function failOnOption(cmd: ParsedCommand): Set<FailOn> {
  const raw = stringOption(cmd, 'fail-on');
  if (raw === undefined) return new Set();
  const values = raw.split(',').map((v) => v.trim());
  for (const v of values) {
    if (!(FAIL_ON as readonly string[]).includes(v)) {
      throw new UsageError(`--fail-on must be change, failure or both (change,failure); got '${raw}'`, 'diff');
    }
  }
  return new Set(values as FailOn[]);
}

function failed(diff: SnapshotDiff, failOn: Set<FailOn>): boolean {
  return (failOn.has('change') && diff.summary.membershipChanged > 0) || (failOn.has('failure') && diff.summary.failures > 0);
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

interface GitBase {
  snapshot: DiffSnapshot;
  label: string;
  commit: string;
  short: string;
}

async function baseFromGit(ref: string | undefined, paths: string[], shared: SharedOptions, io: CliIO, engine: EngineChoice): Promise<GitBase> {
  const root = await repositoryRoot(io.cwd);
  if (!root) {
    const how = "run it inside a git repository, or compare with a saved 'segspec stats --format json --members' file (--base stats.json)";
    throw (ref === undefined ? new CliError(`${io.cwd} is not inside a git repository: ${how}`) : new UsageError(`--base '${ref}': ${io.cwd} is not inside a git repository; ${how}`, 'diff'));
  }
  const realRoot = realpathSync(root);
  const { commit, label } = ref === undefined ? await defaultBase(root, io.env) : await commitOf(ref, root);
  const inRepo = (abs: string): string => {
    const real = existsSync(abs) ? realpathSync(abs) : abs;
    const rel = relative(realRoot, real);
    if (rel.startsWith('..') || isAbsolute(rel)) throw new UsageError(`${abs} is outside the git repository ${root}`, 'diff');
    return rel;
  };
  const cwdInRepo = inRepo(io.cwd);
  const relPaths = paths.map((p) => inRepo(resolve(io.cwd, p)));
  const tmp = await mkdtemp(join(tmpdir(), 'segspec-diff-'));
  try {
    // A .segspec file named directly belongs to a workspace that may start above it: take the whole working folder then.
    const specs = relPaths.map((rel, i) => (isFile(resolve(io.cwd, paths[i])) ? cwdInRepo : rel));
    await materialize(commit, specs.map((s) => s.split(sep).join('/')), root, tmp);
    const baseCwd = join(tmp, cwdInRepo);
    const basePaths = relPaths.map((rel) => relative(baseCwd, join(tmp, rel)) || '.');
    const snapshot = await snapshotSide(basePaths, baseCwd, shared, io, engine, label);
    return { snapshot, label, commit, short: await shortCommit(commit, root) };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/** Analyses the workspaces under the paths (those that exist on this side) and keeps their snapshots. */
async function snapshotSide(
  paths: string[],
  cwd: string,
  shared: SharedOptions,
  io: CliIO,
  engine: EngineChoice,
  sideName: string,
): Promise<DiffSnapshot> {
  const present: string[] = [];
  for (const p of paths) if (await holdsSpecs(resolve(cwd, p))) present.push(p);
  if (present.length === 0) return { workspaces: [], contents: FULL_CONTENTS };
  const onEngine = engine.engine === 'embedded' ? undefined : { choice: engine, overlaps: false, sampleSize: Number.MAX_SAFE_INTEGER };
  let analysis;
  try {
    analysis = await analyzePaths(present, shared, { ...io, cwd }, { engine: onEngine });
  } catch (e) {
    if (e instanceof CliError) throw new CliError(`${sideName}: ${e.message}`);
    throw e;
  }
  return {
    workspaces: analysis.workspaces.map((w) =>
      snapshotOf(w.analysis, {
        workspace: relative(cwd, w.target.root).split(sep).join('/') || '.',
        fingerprint: (dataset) => fingerprint(w.analysis, dataset),
        membersFromSampleKeys: onEngine !== undefined,
      }),
    ),
    contents: FULL_CONTENTS,
  };
}

async function holdsSpecs(path: string): Promise<boolean> {
  let st;
  try {
    st = statSync(path);
  } catch {
    return false;
  }
  if (st.isFile()) return path.endsWith('.segspec');
  try {
    return (await new NodeHost().listFiles(path)).some((f) => f.endsWith('.segspec'));
  } catch {
    return false;
  }
}

/** A hash of a keyless dataset's data file: rows are matched by position only when it did not change. */
function fingerprint(analysis: Analysis, dataset: string): string | undefined {
  const sym = analysis.model.datasets.get(dataset);
  if (!sym || prop(sym.decl, 'key')) return undefined;
  const source = prop(sym.decl, 'source')?.value?.value;
  if (!source) return undefined;
  const resolved = resolveDataPath(sym.file, source, analysis.model.root);
  if (!resolved.ok) return undefined;
  try {
    return createHash('sha256').update(readFileSync(resolved.path)).digest('hex');
  } catch {
    return undefined;
  }
}
