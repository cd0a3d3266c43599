import type { AnalyzedWorkspace, PathsAnalysis } from './analysis.js';
import { CliError, UsageError } from './errors.js';
import { suggest } from '../core/util/suggest.js';

/** The workspace that defines segment (or persona) `name`; a clear error when none or several do. */
export function workspaceDefining(
  analysis: PathsAnalysis,
  kind: 'segment' | 'persona',
  name: string,
): AnalyzedWorkspace {
  const matches = analysis.workspaces.filter((w) =>
    kind === 'segment' ? w.analysis.model.segments.has(name) : w.analysis.model.personas.has(name),
  );
  if (matches.length === 1) return matches[0];
  if (matches.length > 1) {
    throw new CliError(`${kind} '${name}' is defined in ${matches.length} workspaces; name one folder as a path`);
  }
  const known = analysis.workspaces.flatMap((w) =>
    [...(kind === 'segment' ? w.analysis.model.segments.keys() : w.analysis.model.personas.keys())],
  );
  const near = suggest(name, known, 1)[0];
  throw new CliError(`no ${kind} named '${name}'${near ? ` (did you mean '${near}'?)` : ''}`);
}

export function requireName(positionals: string[], what: string, command: string): { name: string; paths: string[] } {
  const [name, ...paths] = positionals;
  if (!name) throw new UsageError(`missing ${what}`, command);
  return { name, paths };
}
