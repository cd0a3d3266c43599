import { explainRow, renderExplanation } from '../../core/engine/index.js';
import { escapeControls } from '../reporters/safe-text.js';
import { prop } from '../../core/syntax/ast.js';
import { analyzePaths } from '../analysis.js';
import { stringOption, type ParsedCommand } from '../args.js';
import { colorsFor, type Colors } from '../colors.js';
import { CliError, EXIT_OK, UsageError } from '../errors.js';
import type { CliIO } from '../io.js';
import { workspaceDefining } from '../lookup.js';
import { displayPath } from '../reporters/findings.js';

/** `segspec explain SEGMENT --key KEY [paths…]`, `segspec explain [SEGMENT] --profile PERSONA [paths…]` */
export async function runExplain(cmd: ParsedCommand, io: CliIO): Promise<number> {
  const key = stringOption(cmd, 'key');
  const persona = stringOption(cmd, 'profile');
  if ((key === undefined) === (persona === undefined)) {
    throw new UsageError('give either --key KEY or --profile PERSONA', 'explain');
  }
  const c = colorsFor(io.stdout, io, cmd.shared.noColor);
  if (persona !== undefined) return explainProfile(cmd, io, persona, c);

  const [segment, ...paths] = cmd.positionals;
  if (!segment) throw new UsageError('missing SEGMENT', 'explain');
  const analysis = await analyzePaths(paths, cmd.shared, io);
  const w = workspaceDefining(analysis, 'segment', segment);
  const { model, data, results } = w.analysis;
  const sym = model.segments.get(segment)!;
  if (!sym.where) throw new CliError(`${segment} is a draft (no \`where\`): it has no members to explain`);
  const table = sym.dataset ? data.get(sym.dataset)?.table : undefined;
  if (!sym.dataset || !table) throw new CliError(`no data is loaded for ${segment}${sym.dataset ? ` (dataset ${sym.dataset})` : ''}`);
  const explained = explainRow(model, data, results, segment, key!, { asOf: cmd.shared.asOf });
  if (!explained) {
    const datasetSym = model.datasets.get(sym.dataset);
    const keyField = datasetSym ? prop(datasetSym.decl, 'key')?.value?.name : undefined;
    throw new CliError(
      keyField
        ? `no row of ${sym.dataset} has ${keyField} = '${key}'`
        : `${sym.dataset} has no \`key\`; use --key '#N' for the N-th row (from 0)`,
    );
  }
  const member = explained.explanation.result === true;
  const dataPath = data.get(sym.dataset)?.path;
  const line = table.rowLines[explained.row];
  const where = dataPath ? ` (${displayPath(dataPath, io.cwd)}:${line})` : '';
  io.stdout.write(
    `${c.bold(escapeControls(key!))}${escapeControls(where)} ${member ? c.green('is a member of') : c.red('is not a member of')} ${c.bold(segment)}\n` +
      `${paint(escapeControls(renderExplanation(explained.explanation)), c)}\n`,
  );
  return EXIT_OK;
}

async function explainProfile(cmd: ParsedCommand, io: CliIO, persona: string, c: Colors): Promise<number> {
  const [segment, ...paths] = cmd.positionals;
  // `segspec explain --profile fiona samples/x`: a lone positional that is a path, not a segment.
  const analysis = await analyzePaths(segment && looksLikePath(segment) ? cmd.positionals : paths, cmd.shared, io);
  const w = workspaceDefining(analysis, 'persona', persona);
  const result = w.analysis.results.personas.get(persona);
  const own = w.analysis.model.personas.get(persona)?.segment;
  if (segment && !looksLikePath(segment) && own !== segment) {
    throw new CliError(`the profile of ${persona} is checked against its own segment ${own ?? '(none)'}, not ${segment}`);
  }
  if (!result?.explanation) {
    throw new CliError(`${persona} has no profile, or its segment ${own ?? ''} has no rule to check it against`.replace(/ +/g, ' '));
  }
  const member = result.explanation.result === true;
  io.stdout.write(
    `${c.bold(`profile of ${persona}`)} ${member ? c.green('is a member of') : c.red('is not a member of')} ${c.bold(own ?? '')}\n` +
      `${paint(escapeControls(renderExplanation(result.explanation)), c)}\n`,
  );
  return EXIT_OK;
}

function looksLikePath(s: string): boolean {
  return s.includes('/') || s.includes('\\') || s === '.' || s === '..' || s.endsWith('.segspec');
}

/** Colours the ✓ / ✗ / ? marks of a rendered explanation. */
function paint(text: string, c: Colors): string {
  return text.replace(/^(\s*)([✓✗?]) /gm, (_m, indent: string, mark: string) =>
    `${indent}${mark === '✓' ? c.green(mark) : mark === '✗' ? c.red(mark) : c.yellow(mark)} `,
  );
}
